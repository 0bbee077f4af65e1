import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const cli = ['--import', 'tsx', 'src/cli/main.ts', 'models'];
const megabyte = 1024 * 1024;
const payload = randomBytes(2 * megabyte);
const digest = createHash('sha256').update(payload).digest('hex');
const hfUri = 'hf:acme/tiny-GGUF/tiny.gguf';

/** A hub on port 0: the resolve route redirects to a CDN route that honours Range, like huggingface.co. */
function startHub(): { server: Server; seen: Array<{ url: string; range: string | undefined }>; interruptNext: { value: boolean } } {
  const seen: Array<{ url: string; range: string | undefined }> = [];
  const interruptNext = { value: false };
  const serveFile = (request: IncomingMessage, response: ServerResponse, honoursRange: boolean): void => {
    if (interruptNext.value) {
      interruptNext.value = false;
      response.writeHead(200, { 'content-length': payload.length, 'accept-ranges': 'bytes' });
      response.write(payload.subarray(0, megabyte), () => setTimeout(() => response.socket?.destroy(), 100));
      return;
    }
    const range = honoursRange ? /^bytes=(\d+)-$/.exec(request.headers.range ?? '') : null;
    if (range) {
      const start = Number(range[1]);
      if (start >= payload.length) {
        response.writeHead(416, { 'content-range': `bytes */${payload.length}` }).end();
        return;
      }
      response.writeHead(206, { 'content-range': `bytes ${start}-${payload.length - 1}/${payload.length}`, 'content-length': payload.length - start });
      response.end(payload.subarray(start));
      return;
    }
    response.writeHead(200, { 'content-length': payload.length });
    response.end(payload);
  };
  const server = createServer((request, response) => {
    seen.push({ url: request.url ?? '', range: request.headers.range });
    if (request.url === '/acme/tiny-GGUF/resolve/main/tiny.gguf') response.writeHead(302, { location: '/cdn/tiny.gguf' }).end();
    else if (request.url === '/cdn/tiny.gguf') serveFile(request, response, true);
    else if (request.url === '/plain/tiny.gguf') serveFile(request, response, false);
    else response.writeHead(404).end('not found');
  });
  return { server, seen, interruptNext };
}

describe('breakwater models', () => {
  const hub = startHub();
  let hubUrl = '';
  const env = (extra: Record<string, string> = {}) => ({ ...process.env, BREAKWATER_MODELS_DIR: '', ...extra });
  const models = (args: string[], extra: Record<string, string> = {}) => run(process.execPath, [...cli, ...args], { env: env({ BREAKWATER_MODEL_HUB: hubUrl, ...extra }) });
  const failure = async (args: string[], extra: Record<string, string> = {}): Promise<{ code: number; stderr: string }> => {
    try {
      await models(args, extra);
    } catch (error) {
      const failed = error as { code: number; stderr: string };
      return { code: failed.code, stderr: failed.stderr };
    }
    assert.fail(`models ${args.join(' ')} should have failed`);
  };
  const freshDir = () => mkdtempSync(join(tmpdir(), 'breakwater-models-'));
  const sha256Of = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

  before(async () => {
    await new Promise<void>((resolve) => hub.server.listen(0, '127.0.0.1', resolve));
    hubUrl = `http://127.0.0.1:${(hub.server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => hub.server.close(() => resolve())));

  it('pulls an hf: URI through the hub redirect and verifies its sha256', async () => {
    const dir = freshDir();
    hub.seen.length = 0;
    const { stdout, stderr } = await models(['pull', hfUri, '--dir', dir, '--sha256', digest]);
    assert.match(stdout, new RegExp(`saved .*tiny\\.gguf \\(2\\.0 MB\\)\\nsha256 ${digest} \\(verified\\)`));
    assert.match(stderr, /tiny\.gguf: 100% /);
    assert.deepEqual(
      hub.seen.map((request) => request.url),
      ['/acme/tiny-GGUF/resolve/main/tiny.gguf', '/cdn/tiny.gguf'],
    );
    assert.equal(sha256Of(join(dir, 'tiny.gguf')), digest);
    assert.ok(!existsSync(join(dir, 'tiny.gguf.partial')));
    assert.match((await models(['pull', hfUri, '--dir', dir])).stdout, /already in/);
  });

  it('resumes an interrupted download with a Range request', async () => {
    const dir = freshDir();
    hub.seen.length = 0;
    hub.interruptNext.value = true;
    const interrupted = await failure(['pull', hfUri, '--dir', dir, '--sha256', digest]);
    assert.equal(interrupted.code, 1);
    assert.match(interrupted.stderr, /MODEL_DOWNLOAD_INTERRUPTED: .*stopped after 1048576 of 2097152 bytes.*run the same command again to resume/);
    assert.equal(statSync(join(dir, 'tiny.gguf.partial')).size, megabyte);
    assert.ok(!existsSync(join(dir, 'tiny.gguf')));
    const { stdout } = await models(['pull', hfUri, '--dir', dir, '--sha256', digest]);
    assert.match(stdout, /resumed from 1\.0 MB/);
    assert.ok(hub.seen.some((request) => request.url === '/cdn/tiny.gguf' && request.range === 'bytes=1048576-'));
    assert.equal(sha256Of(join(dir, 'tiny.gguf')), digest);
    assert.ok(!existsSync(join(dir, 'tiny.gguf.partial')));
  });

  it('starts over when the server ignores Range, and finishes a complete partial on a 416', async () => {
    const ignoring = freshDir();
    writeFileSync(join(ignoring, 'tiny.gguf.partial'), Buffer.alloc(1000));
    await models(['pull', `${hubUrl}/plain/tiny.gguf`, '--dir', ignoring, '--sha256', digest]);
    assert.equal(sha256Of(join(ignoring, 'tiny.gguf')), digest);
    const complete = freshDir();
    writeFileSync(join(complete, 'tiny.gguf.partial'), payload);
    hub.seen.length = 0;
    await models(['pull', hfUri, '--dir', complete, '--sha256', digest]);
    assert.equal(hub.seen.at(-1)?.range, 'bytes=2097152-');
    assert.equal(sha256Of(join(complete, 'tiny.gguf')), digest);
  });

  it('a wrong --sha256 deletes the partial and exits non-zero', async () => {
    const dir = freshDir();
    const wrong = 'ab'.repeat(32);
    const { code, stderr } = await failure(['pull', hfUri, '--dir', dir, '--sha256', wrong]);
    assert.equal(code, 1);
    assert.match(stderr, new RegExp(`MODEL_CHECKSUM_MISMATCH: .*sha256 ${digest}, not the expected ${wrong}; the partial download was deleted`));
    assert.ok(!existsSync(join(dir, 'tiny.gguf.partial')));
    assert.ok(!existsSync(join(dir, 'tiny.gguf')));
  });

  it('an unreachable hub or a missing file fails with a message that says what to do', async () => {
    const dir = freshDir();
    const offline = await failure(['pull', hfUri, '--dir', dir], { BREAKWATER_MODEL_HUB: 'http://127.0.0.1:1' });
    assert.equal(offline.code, 1);
    assert.match(
      offline.stderr,
      /MODEL_HUB_UNREACHABLE: this machine cannot reach 127\.0\.0\.1:1 .*download http:\/\/127\.0\.0\.1:1\/acme\/tiny-GGUF\/resolve\/main\/tiny\.gguf elsewhere and copy it to .*, or set BREAKWATER_MODEL_HUB to a mirror/,
    );
    const missing = await failure(['pull', 'hf:acme/tiny-GGUF/nope.gguf', '--dir', dir]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /MODEL_FILE_NOT_FOUND: hf:acme\/tiny-GGUF\/nope\.gguf does not exist \(404/);
    assert.ok(!existsSync(join(dir, 'nope.gguf')));
  });

  it('ls lists a pulled file, rm removes it, and rm refuses paths outside the models folder', async () => {
    const root = freshDir();
    const dir = join(root, 'models');
    mkdirSync(dir);
    writeFileSync(join(root, 'outside'), 'keep me');
    assert.match((await models(['ls', '--dir', dir])).stdout, /no models in .* yet/);
    await models(['pull', hfUri, '--dir', dir]);
    assert.match((await models(['ls', '--dir', dir])).stdout, /NAME\s+SIZE\s+MODIFIED\s+CATALOGUE\ntiny\.gguf\s+2\.0 MB\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+-/);
    const listed = JSON.parse((await models(['ls', '--dir', dir, '--json'])).stdout) as Array<{ name: string; size_bytes: number; complete: boolean }>;
    assert.deepEqual(
      listed.map(({ name, size_bytes, complete }) => ({ name, size_bytes, complete })),
      [{ name: 'tiny.gguf', size_bytes: payload.length, complete: true }],
    );
    assert.match((await models(['rm', 'tiny.gguf', '--dir', dir])).stdout, /removed .*tiny\.gguf/);
    assert.ok(!existsSync(join(dir, 'tiny.gguf')));
    const outside = await failure(['rm', '../outside', '--dir', dir]);
    assert.equal(outside.code, 1);
    assert.match(outside.stderr, /MODEL_PATH_OUTSIDE_DIR: \.\.\/outside is outside the models folder/);
    assert.equal(readFileSync(join(root, 'outside'), 'utf8'), 'keep me');
    assert.match((await failure(['rm', 'tiny.gguf', '--dir', dir])).stderr, /MODEL_FILE_NOT_FOUND: No tiny\.gguf in/);
  });
});
