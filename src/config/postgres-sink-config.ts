import { z } from 'zod';
import { secretRefSchema } from './secret-ref.js';

/**
 * A plain PostgreSQL identifier (at most 63 bytes, PostgreSQL's NAMEDATALEN - 1). Breakwater
 * always double-quotes identifiers, so case is kept: `Manifests` and `manifests` differ.
 */
export const postgresIdentifierPattern = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
/** `table` or `schema.table`, each part a plain identifier. */
export const postgresTablePattern = /^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/;
/** Columns starting with this prefix hold provenance and belong to Breakwater. */
export const provenanceColumnPrefix = '_bw_';

const columnNameSchema = z
  .string()
  .regex(postgresIdentifierPattern, 'must be a column name: letters, digits and _, not starting with a digit, at most 63 characters')
  .refine((name) => !name.toLowerCase().startsWith(provenanceColumnPrefix), `must not start with ${provenanceColumnPrefix} (reserved for provenance columns)`);

/** The `sink` block of a pipeline that writes its records to the user's PostgreSQL. */
export const postgresSinkConfigSchema = z
  .object({
    type: z.literal('postgres'),
    /** The connection string (`postgres://user:password@host:5432/database`), a secret. */
    url: secretRefSchema,
    table: z.string().regex(postgresTablePattern, 'must be "table" or "schema.table": letters, digits and _, not starting with a digit'),
    /** Create the table on first write when it does not exist; true when absent. */
    createTable: z.boolean().optional(),
    /** Record property → column name, for properties whose derived column name does not suit. */
    columns: z.record(z.string(), columnNameSchema).optional(),
  })
  .strict();

export type PostgresSinkConfig = z.infer<typeof postgresSinkConfigSchema>;
