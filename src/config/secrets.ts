import { readFileSync } from 'node:fs';
import { BreakwaterError } from '../core/errors/breakwater-error.js';
import type { SecretRef } from './schema.js';

/** Resolves a secret reference once, at start-up. The value is never logged. */
export function resolveSecret(ref: SecretRef, at: string, env: NodeJS.ProcessEnv): string {
  if ('env' in ref) {
    const value = env[ref.env];
    if (!value) {
      throw new BreakwaterError('CONFIG_INVALID', `${at}: environment variable ${ref.env} is not set; export it, or point ${at} at a file with { file: /run/secrets/... }.`);
    }
    return value;
  }
  try {
    return readFileSync(ref.file, 'utf8').trim();
  } catch (error) {
    throw new BreakwaterError(
      'CONFIG_INVALID',
      `${at}: cannot read secret file ${ref.file} (${(error as NodeJS.ErrnoException).code ?? 'error'}); check the path and its permissions.`,
      {
        cause: error,
      },
    );
  }
}
