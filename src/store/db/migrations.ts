/**
 * Versioned schema migrations, one list for both backends (same tables, each in its dialect).
 * Applied at start inside one transaction; `schema_migrations` records what ran. Append new versions only.
 */
export interface Migration {
  version: number
  name: string
  sqlite: string
  postgres: string
}

/** The column types and statements where the two dialects differ; the rest of the schema is written once. */
interface Dialect {
  bigint: string
  timestamp: string
  serialKey: string
  appendOnly: string
}

const SQLITE: Dialect = {
  bigint: 'INTEGER',
  timestamp: 'TEXT',
  serialKey: 'INTEGER PRIMARY KEY AUTOINCREMENT',
  appendOnly: `CREATE TRIGGER events_append_only BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;`
}

const POSTGRES: Dialect = {
  bigint: 'BIGINT',
  timestamp: 'TIMESTAMPTZ',
  serialKey: 'BIGSERIAL PRIMARY KEY',
  appendOnly: `CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS
      $$ BEGIN RAISE EXCEPTION 'events are append-only'; END $$;
    CREATE TRIGGER events_append_only BEFORE UPDATE ON events FOR EACH ROW EXECUTE FUNCTION events_append_only();`
}

const v1 = (d: Dialect) => `
  CREATE TABLE store_state (id INTEGER PRIMARY KEY CHECK (id = 1), seq ${d.bigint} NOT NULL);
  INSERT INTO store_state (id, seq) VALUES (1, 0);
  CREATE TABLE jobs (
    job_id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    result_json TEXT,
    event_timestamp TEXT,
    seq ${d.bigint} NOT NULL DEFAULT 0,
    updated_at ${d.timestamp} NOT NULL,
    url TEXT, batch_id TEXT, judge_id TEXT, repository TEXT, commit_sha TEXT, registered_at ${d.timestamp}
  );
  CREATE INDEX jobs_batch_id ON jobs (batch_id);
  CREATE TABLE events (
    id ${d.serialKey},
    job_id TEXT NOT NULL,
    status TEXT NOT NULL,
    outcome TEXT NOT NULL,
    signed_at ${d.bigint} NOT NULL,
    received_at ${d.timestamp} NOT NULL,
    body TEXT NOT NULL
  );
  CREATE INDEX events_received_at ON events (received_at);
  CREATE INDEX events_job_id ON events (job_id);
  ${d.appendOnly}
`

// A replay of the same delivery (same job, same signature `t`, same bytes) adds no second audit row: inserts skip
// on this index. Rows from before it have no hash (NULL never conflicts). It leads with job_id, so it replaces
// the plain job_id index.
const v2 = `
  ALTER TABLE events ADD COLUMN body_sha256 TEXT;
  CREATE UNIQUE INDEX events_same_delivery ON events (job_id, signed_at, body_sha256);
  DROP INDEX events_job_id;
`

/** Which item (judge fingerprint + content identity) a job evaluated: the history results are reused from. */
const resultHistory = (d: Dialect) => `
  CREATE TABLE job_identities (
    job_id TEXT PRIMARY KEY,
    judge_fingerprint TEXT NOT NULL,
    identity TEXT NOT NULL,
    ref TEXT,
    registered_at ${d.timestamp} NOT NULL
  );
  CREATE INDEX job_identities_item ON job_identities (judge_fingerprint, identity);
`

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'jobs, append-only events, store sequence', sqlite: v1(SQLITE), postgres: v1(POSTGRES) },
  { version: 2, name: 'one audit row per delivery (replays skipped)', sqlite: v2, postgres: v2 },
  {
    version: 3,
    name: 'job identities: result history for reuse',
    sqlite: resultHistory(SQLITE),
    postgres: resultHistory(POSTGRES)
  }
]

export const MIGRATIONS_TABLE_SQL =
  'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)'

export function pendingMigrations(applied: Iterable<number>): Migration[] {
  const done = new Set(applied)
  return MIGRATIONS.filter(m => !done.has(m.version))
}
