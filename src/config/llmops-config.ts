import { z } from 'zod';

/** `prompts:` the prompt registry's settings (docs/llmops.md#prompt-registry). */
export const promptsConfigSchema = z
  .object({
    /** Labels only the admin token may move or roll back. */
    protectedLabels: z.array(z.string().min(1)).default(['production']),
    /**
     * How long a node trusts a label it read. A move empties the cache on every node as it
     * commits (PostgreSQL NOTIFY); this bounds staleness only when a node missed that notice.
     */
    labelCacheMs: z.number().int().min(0).max(600_000).default(5_000),
  })
  .strict();
