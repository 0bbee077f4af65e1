import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Agent, request, type Dispatcher } from 'undici';
import { ClientError } from '../api-client.js';

export interface DownloadProgress {
  /** Bytes in the partial file so far, resumed bytes included. */
  bytes: number;
  total: number | null;
  /** Over this run only, so a resume does not claim the resumed bytes arrived instantly. */
  bytesPerSecond: number;
}

export interface DownloadOptions {
  url: string;
  /** The final path; the bytes go to `<destination>.partial` until complete and verified. */
  destination: string;
  /** What the user asked for (`hf:…`, a catalogue name), for messages. Defaults to the URL. */
  label?: string;
  sha256?: string | null;
  /** Expected size, for progress when the server sends no length. */
  sizeBytes?: number | null;
  onProgress?: (progress: DownloadProgress) => void;
  dispatcher?: Dispatcher;
}

export interface DownloadResult {
  path: string;
  bytes: number;
  sha256: string;
  /** Bytes already on disk from an earlier, interrupted pull; 0 for a fresh download. */
  resumedFrom: number;
}

const maxRedirects = 10;
const progressIntervalMs = 100;

/**
 * Downloads a model file resumably: bytes go to `<destination>.partial`, a later call resumes
 * it with a Range request, and only a complete, verified file is renamed to `destination`,
 * so a crash or Ctrl-C never leaves a half-written model under its real name.
 */
export async function downloadModel(options: DownloadOptions): Promise<DownloadResult> {
  const dispatcher = options.dispatcher ?? new Agent({ connect: { timeout: 15_000 } });
  try {
    return await download(options, dispatcher);
  } finally {
    if (!options.dispatcher) await dispatcher.close();
  }
}

async function download(options: DownloadOptions, dispatcher: Dispatcher): Promise<DownloadResult> {
  const partial = `${options.destination}.partial`;
  const resumedFrom = await sizeOf(partial);
  let offset = resumedFrom;
  // Hash what is already on disk before asking for the rest: the connection should not sit idle.
  let hash = createHash('sha256');
  if (offset > 0) await hashFile(partial, hash);
  let response = await get(options, offset, dispatcher);
  if (offset > 0 && response.statusCode === 416) {
    // Nothing left to send from our offset: the partial is complete, or belongs to another file.
    const total = contentRange(response)?.total ?? null;
    await response.body.dump();
    if (total === offset) return finish(options, partial, hash, offset, resumedFrom);
    response = await restart(options, partial, dispatcher);
    offset = 0;
    hash = createHash('sha256');
  } else if (offset > 0 && response.statusCode === 206 && contentRange(response)?.start !== offset) {
    await response.body.dump();
    response = await restart(options, partial, dispatcher);
    offset = 0;
    hash = createHash('sha256');
  }
  if (response.statusCode !== 200 && response.statusCode !== 206) throw await statusError(response, options);
  if (response.statusCode === 200 && offset > 0) {
    // The server ignored the Range header and sends the whole file: start over.
    offset = 0;
    hash = createHash('sha256');
  }
  const total = expectedTotal(response, offset) ?? options.sizeBytes ?? null;
  const file = await open(partial, offset > 0 ? 'a' : 'w');
  let bytes = offset;
  const startedAt = Date.now();
  let reportedAt = 0;
  const report = (force: boolean): void => {
    const now = Date.now();
    if (!options.onProgress || (!force && now - reportedAt < progressIntervalMs)) return;
    reportedAt = now;
    const seconds = Math.max((now - startedAt) / 1000, 0.001);
    options.onProgress({ bytes, total, bytesPerSecond: (bytes - offset) / seconds });
  };
  try {
    // One awaited write per chunk keeps the partial equal to the bytes hashed, even when the
    // connection drops mid-way.
    for await (const chunk of response.body) {
      const buffer = chunk as Buffer;
      hash.update(buffer);
      await file.write(buffer);
      bytes += buffer.length;
      report(false);
    }
    await file.sync();
  } catch (error) {
    throw interrupted(options, partial, bytes, total, error);
  } finally {
    await file.close();
  }
  report(true);
  if (total !== null && bytes !== total) throw interrupted(options, partial, bytes, total, null);
  return finish(options, partial, hash, bytes, resumedFrom);
}

async function finish(options: DownloadOptions, partial: string, hash: Hash, bytes: number, resumedFrom: number): Promise<DownloadResult> {
  const digest = hash.digest('hex');
  const expected = options.sha256?.toLowerCase();
  if (expected && digest !== expected) {
    await unlink(partial);
    throw new ClientError(
      'MODEL_CHECKSUM_MISMATCH',
      `${label(options)} downloaded with sha256 ${digest}, not the expected ${expected}; the partial download was deleted. Check the --sha256 value, or the mirror serving ${options.url}`,
    );
  }
  await rename(partial, options.destination);
  return { path: options.destination, bytes, sha256: digest, resumedFrom };
}

async function restart(options: DownloadOptions, partial: string, dispatcher: Dispatcher): Promise<Dispatcher.ResponseData> {
  await unlink(partial);
  return get(options, 0, dispatcher);
}

/** GET, following redirects by hand: the hub answers with a redirect to its CDN. */
async function get(options: DownloadOptions, offset: number, dispatcher: Dispatcher): Promise<Dispatcher.ResponseData> {
  let url = options.url;
  for (let hop = 0; hop <= maxRedirects; hop++) {
    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, {
        method: 'GET',
        dispatcher,
        headers: { 'user-agent': 'breakwater-models', ...(offset > 0 ? { range: `bytes=${offset}-` } : {}) },
      });
    } catch (error) {
      if (isConnectionFailure(error)) {
        throw new ClientError(
          'MODEL_HUB_UNREACHABLE',
          `this machine cannot reach ${new URL(url).host} (${errorCode(error)}): download ${options.url} elsewhere and copy it to ${dirname(options.destination)}, or set BREAKWATER_MODEL_HUB to a mirror`,
          null,
          null,
          { cause: error },
        );
      }
      throw new ClientError('MODEL_DOWNLOAD_FAILED', `Could not download ${options.url}: ${describe(error)}`, null, null, { cause: error });
    }
    const location = header(response, 'location');
    if (response.statusCode >= 300 && response.statusCode < 400 && location !== undefined) {
      await response.body.dump();
      url = new URL(location, url).href;
      continue;
    }
    return response;
  }
  throw new ClientError('MODEL_DOWNLOAD_FAILED', `${options.url} redirected more than ${maxRedirects} times; download it elsewhere and copy it to ${dirname(options.destination)}`);
}

async function statusError(response: Dispatcher.ResponseData, options: DownloadOptions): Promise<ClientError> {
  await response.body.dump();
  const status = response.statusCode;
  if (status === 404) {
    return new ClientError(
      'MODEL_FILE_NOT_FOUND',
      `${label(options)} does not exist (404 from ${options.url}): check the owner, repository and file name, which are case-sensitive`,
      status,
    );
  }
  if (status === 401 || status === 403) {
    return new ClientError(
      'MODEL_DOWNLOAD_FORBIDDEN',
      `${label(options)} is gated or private (${status} from ${options.url}): accept its licence on the hub, download it in a browser and copy it to ${dirname(options.destination)}`,
      status,
    );
  }
  return new ClientError('MODEL_DOWNLOAD_FAILED', `${options.url} answered ${status}; try again later, or set BREAKWATER_MODEL_HUB to a mirror`, status);
}

function interrupted(options: DownloadOptions, partial: string, bytes: number, total: number | null, cause: unknown): ClientError {
  const reason = cause === null ? 'the server closed the connection early' : describe(cause);
  return new ClientError(
    'MODEL_DOWNLOAD_INTERRUPTED',
    `The download of ${label(options)} stopped after ${bytes}${total === null ? '' : ` of ${total}`} bytes (${reason}): run the same command again to resume ${partial}`,
    null,
    null,
    cause === null ? undefined : { cause },
  );
}

/** The full file size: from Content-Range on a 206, from Content-Length on a 200. */
function expectedTotal(response: Dispatcher.ResponseData, offset: number): number | null {
  if (response.statusCode === 206) {
    const range = contentRange(response);
    if (range?.total != null) return range.total;
    const length = Number(header(response, 'content-length'));
    return Number.isInteger(length) ? offset + length : null;
  }
  const length = Number(header(response, 'content-length') ?? Number.NaN);
  return Number.isInteger(length) ? length : null;
}

/** `bytes 100-199/2000`, `bytes 100-199/*` or, on a 416, `bytes *\/2000`. */
function contentRange(response: Dispatcher.ResponseData): { start: number | null; total: number | null } | null {
  const match = /^bytes (?:(\d+)-\d+|\*)\/(\d+|\*)$/.exec(header(response, 'content-range')?.trim() ?? '');
  if (!match) return null;
  return { start: match[1] === undefined ? null : Number(match[1]), total: match[2] === '*' ? null : Number(match[2]) };
}

function header(response: Dispatcher.ResponseData, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return 0;
    throw error;
  }
}

async function hashFile(path: string, hash: Hash): Promise<void> {
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
}

function label(options: DownloadOptions): string {
  return options.label ?? options.url;
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function describe(error: unknown): string {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}

/** Failures to connect at all, as opposed to a connection that broke mid-download. */
function isConnectionFailure(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT'].includes(code);
}
