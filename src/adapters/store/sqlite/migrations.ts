import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export interface Migration {
  name: string;
  sql: string;
}

/**
 * Migrations are the numbered .sql files beside this module, applied in name order. The
 * build copies them to dist (see package.json "build"), so tsx and node read the same files.
 */
export function loadMigrations(): Migration[] {
  const folder = join(dirname(fileURLToPath(import.meta.url)), 'migrations');
  return readdirSync(folder)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => ({ name: file.replace(/\.sql$/, ''), sql: readFileSync(join(folder, file), 'utf8') }));
}
