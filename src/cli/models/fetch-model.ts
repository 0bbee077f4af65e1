import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import type { ProviderServices } from '../../adapters/providers/create-provider.js';
import { downloadModel } from './download.js';
import { defaultModelHub, resolveModelSource } from './model-catalogue.js';

/**
 * The first-use download of a local model (`autoPull`): the same resumable, verified download
 * as `breakwater models pull`, from `$BREAKWATER_MODEL_HUB` (default Hugging Face).
 */
export function modelFetcher(env: NodeJS.ProcessEnv, logger: Logger): NonNullable<ProviderServices['fetchModel']> {
  return async (source, destination, onProgress) => {
    const model = resolveModelSource(source, env.BREAKWATER_MODEL_HUB || defaultModelHub);
    logger.info({ model: source, destination }, 'downloading a local model on first use');
    await mkdir(dirname(destination), { recursive: true });
    try {
      await downloadModel({
        url: model.url,
        destination,
        label: source,
        sha256: model.sha256,
        sizeBytes: model.sizeBytes,
        onProgress: (progress) => onProgress(progress.bytes, progress.total),
      });
    } catch (error) {
      logger.warn({ model: source, err: error }, 'downloading a local model on first use failed');
      throw error;
    }
    logger.info({ model: source, destination }, 'local model downloaded');
  };
}
