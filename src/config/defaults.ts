import type { ParsedConfig } from './schema.js';

type Catalogue = Pick<ParsedConfig, 'providers' | 'models'>;

const deployment = (provider: string, model: string) => ({ provider, model, weight: 1, timeoutMs: 60_000, retries: 2 });
const alias = (...deployments: ReturnType<typeof deployment>[]) => ({ strategy: 'fallback' as const, deployments });

/**
 * The embedded default catalogue, used when the config declares no providers and no
 * models: the `mock` provider always (clearly named, for demos and tests), plus OpenAI and
 * Anthropic when their key is in the environment.
 */
export function defaultProvidersAndModels(env: NodeJS.ProcessEnv): Catalogue {
  const catalogue: Catalogue = {
    providers: { mock: { type: 'mock', latencyMs: 0, embeddingDimensions: 256 } },
    models: {
      mock: alias(deployment('mock', 'mock-chat')),
      'mock-embedding': alias(deployment('mock', 'mock-embedding')),
    },
  };
  if (env.OPENAI_API_KEY) {
    catalogue.providers.openai = { type: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey: { env: 'OPENAI_API_KEY' }, headers: {}, connections: 128 };
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
    };
    for (const model of ['claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-opus-4-1']) {
      catalogue.models[model] = alias(deployment('anthropic', model));
    }
  }
  return catalogue;
}

/** The alias the example pipelines extract with: a real model when a key is set, else the mock. */
export function defaultExtractionModel(config: Catalogue): string {
  for (const alias of ['gpt-4o-mini', 'claude-haiku-4-5']) if (config.models[alias]) return alias;
  return 'mock';
}
