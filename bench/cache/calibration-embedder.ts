import { ProviderEmbedder } from '../../src/adapters/embedders/provider/provider-embedder.js';
import { OpenAIProvider } from '../../src/adapters/providers/openai/openai-provider.js';
import { vendorProfiles } from '../../src/adapters/providers/openai/vendors.js';
import type { Embedder } from '../../src/core/ports/embedder.js';

/**
 * An OpenAI-compatible embeddings endpoint for `bench:cache -- --embedder-url=…`: the same
 * ProviderEmbedder the gateway builds for `cache.semantic.embedder.driver: model`, so the sweep
 * calibrates the threshold that deployment will use (README.md, "Calibrating another embedder").
 */
export async function calibrationEmbedder(options: { url: string; model: string; dimension: number; keyEnv: string | undefined; multilingual: boolean }): Promise<Embedder> {
  if (!options.model || !(options.dimension > 0)) throw new Error('--embedder-url needs --embedder-model=NAME and --embedder-dimension=N');
  const provider = new OpenAIProvider({
    name: 'calibration',
    baseUrl: options.url,
    apiKey: options.keyEnv ? process.env[options.keyEnv] : undefined,
    headers: {},
    connections: 4,
    streamIdleTimeoutMs: 60_000,
    profile: vendorProfiles.generic!,
  });
  const embedder = new ProviderEmbedder({ provider, model: options.model, dimension: options.dimension, timeoutMs: 60_000 });
  return { id: embedder.id, dimension: embedder.dimension, multilingual: options.multilingual, embed: (texts, signal) => embedder.embed(texts, signal) };
}
