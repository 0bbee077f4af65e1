import { z } from 'zod';

/** A secret is never a literal in the config: `{ env: NAME }` or `{ file: PATH }`, resolved once at start-up. */
export const secretRefSchema = z.union(
  [z.object({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name') }).strict(), z.object({ file: z.string().min(1) }).strict()],
  { error: 'must be a secret reference: { env: VARIABLE_NAME } or { file: /path/to/secret } (secrets are never written in the config file)' },
);

export type SecretRef = z.infer<typeof secretRefSchema>;
