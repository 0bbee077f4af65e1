import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Writable } from 'node:stream';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { FastifyInstance } from 'fastify';
import type { ProviderServices } from '../../src/adapters/providers/create-provider.js';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { KeySpec } from '../../src/core/keys/key-service.js';
import { buildServer } from '../../src/http/server.js';

export interface TestApp {
  app: App;
  server: FastifyInstance;
  folder: string;
  /** Everything the server logged, as text. */
  logs: () => string;
  key(spec?: Partial<KeySpec>): Promise<string>;
  close(): Promise<void>;
}

export const adminToken = 'test-admin-token-0123456789abcdef';

/**
 * A Breakwater app on a real SQLite file in a temp folder, configured from a YAML-shaped
 * object exactly as breakwater.yaml would be (through the one schema).
 */
export async function startTestApp(
  config: Record<string, unknown>,
  options: { env?: NodeJS.ProcessEnv; spanProcessor?: SpanProcessor; services?: ProviderServices } = {},
): Promise<TestApp> {
  const folder = mkdtempSync(join(tmpdir(), 'breakwater-test-'));
  const path = join(folder, 'breakwater.yaml');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(path, JSON.stringify({ store: { driver: 'sqlite', path: join(folder, 'breakwater.db') }, ...config }));
  const loaded = loadConfig({ path, env: { BREAKWATER_ADMIN_TOKEN: adminToken, ...options.env } });
  let logText = '';
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      logText += String(chunk);
      callback();
    },
  });
  const logger = pino({ level: 'info' }, sink);
  const app = await createApp(loaded, {
    logger,
    ...(options.spanProcessor ? { spanProcessor: options.spanProcessor } : {}),
    ...(options.services ? { services: options.services } : {}),
  });
  const server = await buildServer(app);
  await server.ready();
  return {
    app,
    server,
    folder,
    logs: () => logText,
    key: async (spec = {}) => (await app.keys.create({ name: 'test', ...spec })).secret,
    close: async () => {
      await server.close();
      await app.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** A config with one OpenAI-compatible provider at `url` and aliases over it. */
export function upstreamConfig(url: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    providers: { upstream: { type: 'openai-compatible', baseUrl: url, apiKey: { env: 'UPSTREAM_KEY' } } },
    models: {
      'gpt-test': { deployments: [{ provider: 'upstream', model: 'gpt-4o-mini', retries: 0 }] },
      'embed-test': { deployments: [{ provider: 'upstream', model: 'text-embedding-3-small', retries: 0 }] },
    },
    log: { level: 'info', requests: true },
    ...extra,
  };
}

export const upstreamSecret = 'sk-upstream-SECRET-must-never-leak';

export function bearer(secret: string): Record<string, string> {
  return { authorization: `Bearer ${secret}` };
}

/** Parses an SSE body into its data payloads. */
export function sseData(body: string): string[] {
  return body
    .split('\n\n')
    .filter((event) => event.startsWith('data: '))
    .map((event) => event.slice(6));
}

/**
 * Re-checks a condition until it holds (deferred cache writes, a model loading): after each
 * event-loop turn at first, then every 10 ms, for at most `timeoutMs`.
 */
export async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    if (await condition()) return;
    await new Promise((resolve) => (attempt < 1_000 ? setImmediate(resolve) : setTimeout(resolve, 10)));
  }
  assert.fail(`the condition did not hold within ${timeoutMs} ms`);
}

/** One alias, `mock`, on the built-in mock provider: for tests about the HTTP edge, not about models. */
export const mockModelConfig = { providers: { mock: { type: 'mock' } }, models: { mock: { deployments: [{ provider: 'mock', model: 'mock' }] } } };

/** Puts the test app on a real socket (127.0.0.1, a free port) and returns the port. */
export async function listenOnSocket(test: TestApp): Promise<number> {
  await test.server.listen({ port: 0, host: '127.0.0.1' });
  return (test.server.server.address() as { port: number }).port;
}
