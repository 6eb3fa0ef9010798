/**
 * The files manifest: a YAML or JSON list naming media files to gate, with the title and description Pique
 * passes to detectors such as `title_and_description`. Each item is a path or glob (relative to the manifest's
 * folder), or a mapping `{file, title?, description?}`. One zod schema gives validation, types and the JSON
 * Schema (schema/files.schema.json).
 */
import { z } from 'zod'

export const manifestItemSchema = z.union([
  z.string().min(1).describe('A media file or glob, relative to this manifest.'),
  z.strictObject({
    file: z.string().min(1).describe('A media file or glob, relative to this manifest.'),
    title: z.string().min(1).optional().describe("Sent as the upload's title (read by e.g. title_and_description)."),
    description: z
      .string()
      .min(1)
      .optional()
      .describe("Sent as the upload's description (read by e.g. title_and_description).")
  })
])

/** The keys a manifest item's mapping may have, from its schema (one source of truth). */
export const MANIFEST_ITEM_KEYS: readonly string[] = Object.keys(manifestItemSchema.options[1].shape)

export const filesManifestSchema = z.array(manifestItemSchema)
