/**
 * The JSON Schema of a judge file, generated from the schema module so editors (yaml-language-server,
 * VS Code) validate `judge.yml` with the same rules as the loader. Committed as schema/judge.schema.json;
 * a test fails when the committed copy differs from a fresh generation.
 */
import { z } from 'zod'
import { DETECTORS, type DetectorSpec } from '../pique/detectors.js'
import { SOCIAL_MEDIA_CONTENT_TYPE, UPLOAD_CONTENT_TYPES } from '../pique/limits.js'
import { filesManifestSchema } from './files-manifest.js'
import { createJudgeRequestSchema, detectorSchema } from '../pique/schema.js'
import { judgeFileExtrasSchema } from './judge-shape.js'
import { policySchema } from './policy.js'

type JsonSchema = Record<string, unknown>

/** One zod piece as JSON Schema, without its own `$schema` header. Refinements are not representable and are left to the loader. */
function piece(schema: z.ZodType, description?: string): JsonSchema {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-7',
    io: 'input',
    unrepresentable: 'any'
  }) as JsonSchema
  return description ? { description, ...rest } : rest
}

/** `if detector_name is X then config matches X's known keys`, one clause per catalogue entry. */
function detectorClause(d: DetectorSpec): JsonSchema {
  const config: JsonSchema = d.config ? piece(d.config) : { type: 'object' }
  if (d.atLeastOneOf?.length) {
    config.allOf = d.atLeastOneOf.map(group => ({ anyOf: group.map(key => ({ required: [key] })) }))
  }
  return {
    if: { properties: { detector_name: { const: d.name } }, required: ['detector_name'] },
    then: { properties: { config } }
  }
}

function describeDetector(d: DetectorSpec): string {
  const keys = d.config ? Object.keys(d.config.shape) : null
  const takes =
    keys === null ? 'config keys not documented' : keys.length ? `config: ${keys.join(', ')}` : 'takes no config keys'
  return `${d.name} (${d.category}; ${d.contentTypes.join('/')}${d.needsPreprocessing ? '; needs reference content, judge starts pending' : ''}; ${takes})`
}

export function judgeFileJsonSchema(): JsonSchema {
  const body = createJudgeRequestSchema.shape
  const extras = judgeFileExtrasSchema.shape
  const detector = detectorSchema.shape
  return {
    // Draft 7: the newest draft every common editor (yaml-language-server, VS Code) fully supports.
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'pique-gate judge file',
    description:
      'The Pique create-judge body (name, description, content_type, detectors), optionally pinned to an existing judge by id.',
    type: 'object',
    properties: {
      $schema: piece(extras.$schema, 'The JSON Schema this file follows; ignored by pique-gate.'),
      id: piece(extras.id, 'Pins an existing judge: pique-gate fetches it instead of finding or creating one.'),
      name: piece(body.name, 'The judge name.'),
      description: piece(body.description, 'What the judge checks.'),
      content_type: {
        description: `Social-media URLs are evaluated only by ${SOCIAL_MEDIA_CONTENT_TYPE} judges; media files (the files input) also by ${UPLOAD_CONTENT_TYPES.filter(t => t !== SOCIAL_MEDIA_CONTENT_TYPE).join(' and ')} judges.`,
        enum: [...UPLOAD_CONTENT_TYPES]
      },
      detectors: {
        ...piece(body.detectors, 'The detectors the judge runs, each with its config.'),
        items: { $ref: '#/definitions/detector' }
      },
      policy: {
        ...piece(
          policySchema,
          "The gate's rules beside the threshold. Not part of the judge: changing it never creates a judge nor re-evaluates content."
        ),
        additionalProperties: false
      }
    },
    required: Object.keys(body),
    additionalProperties: false,
    definitions: {
      detector: {
        type: 'object',
        properties: {
          detector_name: {
            description:
              'A detector of the catalogue; an unknown name is a warning (the catalogue grows), not an error.',
            anyOf: [
              ...DETECTORS.map(d => ({ const: d.name, description: describeDetector(d) })),
              piece(detector.detector_name)
            ]
          },
          config: piece(detector.config, 'The detector settings; keys not in the catalogue are warnings.')
        },
        required: Object.keys(detector),
        additionalProperties: false,
        allOf: DETECTORS.map(detectorClause)
      }
    }
  }
}

/** The schema file's exact text: stable key order, two-space indent, trailing newline. */
export function judgeFileJsonSchemaText(): string {
  return `${JSON.stringify(judgeFileJsonSchema(), null, 2)}\n`
}

/** The JSON Schema of a files manifest (the files input's .yml/.json lists); committed as schema/files.schema.json. */
export function filesManifestJsonSchema(): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'pique-gate files manifest',
    description:
      'Media files to upload and evaluate, each a path or glob relative to this manifest, or {file, title, description}.',
    ...piece(filesManifestSchema)
  }
}

export function filesManifestJsonSchemaText(): string {
  return `${JSON.stringify(filesManifestJsonSchema(), null, 2)}\n`
}
