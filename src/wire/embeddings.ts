import { z } from 'zod';

/** OpenAI's limits for token-id input: 8,192 per input, 300,000 across a request. */
export const maxTokensPerInput = 8_192;
export const maxTokensPerRequest = 300_000;

/** Counted before the ids are validated one by one (4 MB of ids is about a million). */
const tokenIdLists = z
  .array(z.unknown())
  .min(1)
  .max(2048)
  .refine((lists) => {
    let total = 0;
    for (const list of lists) total += Array.isArray(list) ? list.length : 1;
    return total <= maxTokensPerRequest;
  }, `at most ${maxTokensPerRequest} token ids across all inputs`)
  .pipe(z.array(z.array(z.number().int()).min(1).max(maxTokensPerInput)));

export const embeddingsRequestSchema = z
  .object({
    model: z.string().min(1),
    input: z.union([z.string(), z.array(z.string()).min(1).max(2048), z.array(z.unknown()).min(1).max(maxTokensPerInput).pipe(z.array(z.number().int())), tokenIdLists]),
    encoding_format: z.enum(['float', 'base64']).optional(),
    // Above any embedding model's size (3,072 is OpenAI's largest); unbounded, a request for 2^31 made the mock provider allocate a 2^31-slot vector and froze the process.
    dimensions: z.number().int().positive().max(16_384).optional(),
    user: z.string().optional(),
  })
  .strict();

export type EmbeddingsRequest = z.infer<typeof embeddingsRequestSchema>;

export interface EmbeddingsResult {
  model: string;
  vectors: number[][];
  usage: { prompt_tokens: number; total_tokens: number };
}

export interface EmbeddingsResponse {
  object: 'list';
  data: Array<{ object: 'embedding'; index: number; embedding: number[] | string }>;
  model: string;
  usage: { prompt_tokens: number; total_tokens: number };
}
