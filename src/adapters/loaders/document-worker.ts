import { writeFileSync } from 'node:fs';
import { BreakwaterError } from '../../core/errors/breakwater-error.js';
import { createDefaultLoaders } from './document-loaders.js';
import type { ReadReply, ReadRequest } from './loader-process.js';
import { preloadPdfjs } from './pdf-loader.js';

/**
 * The entry point of a reader process: reads one document per request with the default
 * loaders and answers with the text or the error's code, message and details (a
 * BreakwaterError does not survive IPC as one). Says it is ready only once the heavy libraries
 * are loaded, so the reader's time limit measures documents, not start-up.
 */
if (process.send === undefined) throw new Error('document-worker runs only as a child process of Breakwater.');
const send = (message: object) => process.send?.(message);
// When memory runs out on the host, the kernel's OOM killer should take this process, never the server.
if (process.platform === 'linux') {
  try {
    writeFileSync('/proc/self/oom_score_adj', '1000');
  } catch {
    // Not permitted in some sandboxes; the resident-size watch in the parent still applies.
  }
}
// Orphaned (the server died): nothing will ever ask again.
process.on('disconnect', () => process.exit(0));

const loaders = createDefaultLoaders();
await Promise.all([preloadPdfjs(), import('mammoth')]);

process.on('message', (request: ReadRequest) => {
  loaders.load(request.input, request.limits, request.accepts).then(
    (value) => send({ id: request.id, ok: true, value } satisfies ReadReply),
    (error: unknown) => send({ id: request.id, ok: false, error: describe(error) } satisfies ReadReply),
  );
});
send({ ready: true });

function describe(error: unknown): Extract<ReadReply, { ok: false }>['error'] {
  if (BreakwaterError.isInstance(error)) return { code: error.code, message: error.message, details: error.details, retryable: error.retryable };
  return { code: null, message: error instanceof Error ? `${error.name}: ${error.message}` : String(error), details: {}, retryable: false };
}
