// Copies non-TypeScript assets (SQL migrations) from src/ to dist/ after tsc.
import { cpSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function walk(folder) {
  for (const entry of readdirSync(folder)) {
    const path = join(folder, entry);
    if (statSync(path).isDirectory()) walk(path);
    else if (path.endsWith('.sql')) cpSync(path, path.replace(/^src/, 'dist'));
  }
}
walk('src');
