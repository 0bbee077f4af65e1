import type { ProviderConfig } from '../../config/schema.js';
import { resolveSecret } from '../../config/secrets.js';
import type { Provider } from '../../core/ports/provider.js';
import { AnthropicProvider } from './anthropic/anthropic-provider.js';
import { LocalProvider } from './local/local-provider.js';
import { MockProvider } from './mock/mock-provider.js';
import { OpenAIProvider } from './openai/openai-provider.js';
import { vendorProfiles } from './openai/vendors.js';

export interface ProviderServices {
  /** Downloads a model (`breakwater models pull` source) to a path; for local providers with `autoPull`. */
  fetchModel?: (source: string, destination: string, onProgress: (bytes: number, total: number | null) => void) => Promise<void>;
}

/** Builds the provider adapter a config entry names; secrets are resolved here, once. */
export function createProvider(name: string, config: ProviderConfig, env: NodeJS.ProcessEnv, services: ProviderServices = {}): Provider {
  const apiKey = (ref: { env: string } | { file: string } | undefined) => (ref ? resolveSecret(ref, `providers.${name}.apiKey`, env) : undefined);
  switch (config.type) {
    case 'openai':
      return new OpenAIProvider({
        name,
        baseUrl: config.baseUrl,
        apiKey: apiKey(config.apiKey),
        headers: config.headers,
        connections: config.connections,
        streamIdleTimeoutMs: config.streamIdleTimeoutMs,
        profile: vendorProfiles.openai!,
      });
    case 'openai-compatible': {
      const profile = vendorProfiles[config.vendor ?? 'generic']!;
      return new OpenAIProvider({
        name,
        baseUrl: config.baseUrl ?? profile.baseUrl,
        apiKey: apiKey(config.apiKey),
        headers: config.headers,
        connections: config.connections,
        streamIdleTimeoutMs: config.streamIdleTimeoutMs,
        profile,
      });
    }
    case 'anthropic':
      return new AnthropicProvider({
        name,
        baseUrl: config.baseUrl,
        apiKey: apiKey(config.apiKey),
        headers: config.headers,
        version: config.version,
        connections: config.connections,
        streamIdleTimeoutMs: config.streamIdleTimeoutMs,
      });
    case 'local':
      return new LocalProvider({
        name,
        model: config.model,
        contextSize: config.contextSize,
        sequences: config.sequences,
        maxQueue: config.maxQueue,
        idleUnloadMs: config.idleUnloadMs,
        embedding: config.embedding,
        streamIdleTimeoutMs: config.streamIdleTimeoutMs,
        ...(config.threads === undefined ? {} : { threads: config.threads }),
        ...(config.pull === undefined ? {} : { pull: config.pull }),
        ...(config.autoPull && config.pull !== undefined && services.fetchModel
          ? { fetchModel: (onProgress: (bytes: number, total: number | null) => void) => services.fetchModel!(config.pull!, config.model, onProgress) }
          : {}),
      });
    case 'mock':
      return new MockProvider({
        name,
        latencyMs: config.latencyMs,
        embeddingDimensions: config.embeddingDimensions,
        ...(config.reply === undefined ? {} : { reply: config.reply }),
      });
  }
}
