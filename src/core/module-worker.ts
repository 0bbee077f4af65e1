import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * A worker thread running the module `name` beside `from` (an `import.meta.url`), with that
 * module's extension: .js once built; .ts under tsx (tests, dev), whose loader a worker thread
 * does not inherit on Node 20, so the thread registers it first. `workerData` reaches the thread
 * as node:worker_threads' `workerData`.
 */
export function spawnModuleWorker(from: string, name: string, workerData?: unknown): Worker {
  const extension = extname(fileURLToPath(from));
  const entry = new URL(`${name}${extension}`, from);
  const data = workerData === undefined ? {} : { workerData };
  if (extension !== '.ts') return new Worker(entry, data);
  const loader = import.meta.resolve('tsx/esm/api');
  return new Worker(`import(${JSON.stringify(loader)}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); })`, { eval: true, ...data });
}
