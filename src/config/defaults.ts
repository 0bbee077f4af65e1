import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ParsedConfig } from './schema.js';

type Catalogue = Pick<ParsedConfig, 'providers' | 'models'>;

const deployment = (provider: string, model: string) => ({ provider, model, weight: 1, timeoutMs: 60_000, retries: 2 });
const alias = (...deployments: ReturnType<typeof deployment>[]) => ({ strategy: 'fallback' as const, deployments });

/** Where `breakwater models pull` puts models and the embedded defaults look for them. */
export function modelsDir(env: NodeJS.ProcessEnv): string {
  return env.BREAKWATER_MODELS_DIR || './data/models';
}

/**
 * The recommended local models of the embedded default: catalogue names of
 * `breakwater models pull` and the files they download (a test keeps the two in step).
 */
export const defaultLocalModels = {
  chat: { pull: 'qwen2.5-1.5b-instruct', file: 'qwen2.5-1.5b-instruct-q4_k_m.gguf' },
  embedding: { pull: 'nomic-embed-text', file: 'nomic-embed-text-v1.5.Q4_K_M.gguf' },
} as const;

const localProvider = (env: NodeJS.ProcessEnv, model: (typeof defaultLocalModels)[keyof typeof defaultLocalModels], embedding: boolean) => ({
  type: 'local' as const,
  model: join(modelsDir(env), model.file),
  pull: model.pull,
  autoPull: true,
  contextSize: 2048,
  sequences: 2,
  maxQueue: 16,
  idleUnloadMs: 300_000,
  embedding,
  streamIdleTimeoutMs: 120_000,
});

/**
 * The embedded default catalogue, used when the config declares no providers and no
 * models:
 * - the `mock` provider always (clearly named, for demos and tests);
 * - the local models (`local`, `local-embedding`), which run in-process once
 *   `breakwater models pull` has put them in the models folder — until then a call answers
 *   503 naming that command, and nothing else is affected (models load on first use);
 * - OpenAI and Anthropic when their key is in the environment;
 * - `default`: the first of gpt-4o-mini, claude-haiku-4-5 and `local` that exists, so an app
 *   written against `default` runs on the local model with no key at all.
 */
export function defaultProvidersAndModels(env: NodeJS.ProcessEnv): Catalogue {
  const catalogue: Catalogue = {
    providers: {
      mock: { type: 'mock', latencyMs: 0, embeddingDimensions: 256 },
      local: localProvider(env, defaultLocalModels.chat, false),
      'local-embed': localProvider(env, defaultLocalModels.embedding, true),
    },
    models: {
      mock: alias(deployment('mock', 'mock-chat')),
      'mock-embedding': alias(deployment('mock', 'mock-embedding')),
      local: alias(deployment('local', defaultLocalModels.chat.pull)),
      'local-embedding': alias(deployment('local-embed', defaultLocalModels.embedding.pull)),
    },
  };
  if (env.OPENAI_API_KEY) {
    catalogue.providers.openai = {
      type: 'openai',
      baseUrl: 'https://api.openai.com/v1',
      apiKey: { env: 'OPENAI_API_KEY' },
      headers: {},
      connections: 128,
      streamIdleTimeoutMs: 30_000,
    };
    for (const model of ['gpt-4o-mini', 'gpt-4o', 'gpt-4.1', 'gpt-4.1-mini', 'text-embedding-3-small', 'text-embedding-3-large']) {
      catalogue.models[model] = alias(deployment('openai', model));
    }
  }
  if (env.ANTHROPIC_API_KEY) {
    catalogue.providers.anthropic = {
      type: 'anthropic',
      baseUrl: 'https://api.anthropic.com',
      apiKey: { env: 'ANTHROPIC_API_KEY' },
      headers: {},
      version: '2023-06-01',
      connections: 128,
      streamIdleTimeoutMs: 30_000,
    };
    for (const model of ['claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-opus-4-1']) {
      catalogue.models[model] = alias(deployment('anthropic', model));
    }
  }
  const first = ['gpt-4o-mini', 'claude-haiku-4-5', 'local'].find((name) => catalogue.models[name])!;
  catalogue.models.default = catalogue.models[first]!;
  return catalogue;
}

/**
 * The alias the example pipelines extract with: a provider's model when a key is set, the
 * local model once it has been pulled, else the mock (so the demo runs on a fresh machine).
 */
export function defaultExtractionModel(config: Catalogue, _env: NodeJS.ProcessEnv): string {
  for (const alias of ['gpt-4o-mini', 'claude-haiku-4-5']) if (config.models[alias]) return alias;
  const local = config.providers.local;
  if (local?.type === 'local' && existsSync(local.model)) return 'local';
  return 'mock';
}
