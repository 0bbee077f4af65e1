import { z } from 'zod';

/**
 * OpenAI chat-completions wire format, as Breakwater accepts and returns it. Shared by the
 * server, the providers and (later) the client SDK. Top-level fields are strict, like
 * OpenAI's own API ("Unrecognized request argument"); message and tool objects pass
 * unknown fields through, because vendors extend them.
 */

const textPart = z.object({ type: z.literal('text'), text: z.string() }).loose();
const imagePart = z.object({ type: z.literal('image_url'), image_url: z.object({ url: z.string(), detail: z.string().optional() }).loose() }).loose();
const otherPart = z.object({ type: z.string() }).loose();
const contentPart = z.union([textPart, imagePart, otherPart]);
const content = z.union([z.string(), z.array(contentPart)]);

export const toolCallSchema = z
  .object({
    id: z.string(),
    type: z.literal('function'),
    function: z.object({ name: z.string(), arguments: z.string() }),
  })
  .loose();

const messageSchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content, name: z.string().optional() }).loose(),
  z.object({ role: z.literal('developer'), content, name: z.string().optional() }).loose(),
  z.object({ role: z.literal('user'), content, name: z.string().optional() }).loose(),
  z
    .object({
      role: z.literal('assistant'),
      content: content.nullable().optional(),
      name: z.string().optional(),
      tool_calls: z.array(toolCallSchema).optional(),
      refusal: z.string().nullable().optional(),
    })
    .loose(),
  z.object({ role: z.literal('tool'), content, tool_call_id: z.string() }).loose(),
]);

const toolSchema = z
  .object({
    type: z.literal('function'),
    function: z
      .object({
        name: z.string().min(1),
        description: z.string().optional(),
        parameters: z.record(z.string(), z.unknown()).optional(),
        strict: z.boolean().nullable().optional(),
      })
      .loose(),
  })
  .loose();

const toolChoice = z.union([z.enum(['none', 'auto', 'required']), z.object({ type: z.literal('function'), function: z.object({ name: z.string() }) }).loose()]);

const responseFormat = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    json_schema: z
      .object({
        name: z.string(),
        description: z.string().optional(),
        schema: z.record(z.string(), z.unknown()).optional(),
        strict: z.boolean().nullable().optional(),
      })
      .loose(),
  }),
]);

/** Most messages, and most content parts across them, one request may carry. */
export const maxMessages = 10_000;
export const maxContentParts = 10_000;

/**
 * The messages are counted before any is validated: validating, counting tokens of and
 * hashing 139,000 small messages (what fits in 4 MB) held the event loop ~280 ms.
 */
const boundedMessages = z
  .array(z.unknown())
  .min(1)
  .max(maxMessages, `at most ${maxMessages} messages`)
  .refine((messages) => {
    let parts = 0;
    for (const message of messages) {
      const content = (message as { content?: unknown } | null)?.content;
      if (Array.isArray(content)) parts += content.length;
    }
    return parts <= maxContentParts;
  }, `at most ${maxContentParts} content parts across all messages`)
  .pipe(z.array(messageSchema));

export const chatRequestSchema = z
  .object({
    model: z.string().min(1),
    messages: boundedMessages,
    stream: z.boolean().nullable().optional(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).loose().nullable().optional(),
    tools: z.array(toolSchema).optional(),
    tool_choice: toolChoice.optional(),
    parallel_tool_calls: z.boolean().optional(),
    response_format: responseFormat.optional(),
    stop: z
      .union([z.string(), z.array(z.string()).max(4)])
      .nullable()
      .optional(),
    temperature: z.number().min(0).max(2).nullable().optional(),
    top_p: z.number().min(0).max(1).nullable().optional(),
    seed: z.number().int().nullable().optional(),
    max_tokens: z.number().int().positive().nullable().optional(),
    max_completion_tokens: z.number().int().positive().nullable().optional(),
    n: z.literal(1).nullable().optional(),
    presence_penalty: z.number().min(-2).max(2).nullable().optional(),
    frequency_penalty: z.number().min(-2).max(2).nullable().optional(),
    logit_bias: z.record(z.string(), z.number()).nullable().optional(),
    logprobs: z.boolean().nullable().optional(),
    top_logprobs: z.number().int().min(0).max(20).nullable().optional(),
    user: z.string().optional(),
    metadata: z.record(z.string(), z.string()).nullable().optional(),
    store: z.boolean().nullable().optional(),
    reasoning_effort: z.string().nullable().optional(),
    service_tier: z.string().nullable().optional(),
    prompt_cache_key: z.string().optional(),
    prompt_cache_retention: z.string().nullable().optional(),
    safety_identifier: z.string().optional(),
    verbosity: z.enum(['low', 'medium', 'high']).nullable().optional(),
    // OpenAI features Breakwater passes through to providers that understand them.
    modalities: z.array(z.string()).nullable().optional(),
    audio: z.record(z.string(), z.unknown()).nullable().optional(),
    prediction: z.record(z.string(), z.unknown()).nullable().optional(),
    web_search_options: z.record(z.string(), z.unknown()).optional(),
    functions: z.array(z.record(z.string(), z.unknown())).optional(),
    function_call: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
  })
  .strict();

export type ChatRequest = z.infer<typeof chatRequestSchema>;
export type ChatMessage = ChatRequest['messages'][number];
export type ToolCall = z.infer<typeof toolCallSchema>;

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call';

export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    message: { role: 'assistant'; content: string | null; tool_calls?: ToolCall[]; refusal?: string | null };
    finish_reason: FinishReason | null;
    logprobs?: unknown;
  }>;
  usage?: Usage;
  system_fingerprint?: string | null;
}

export interface ChunkToolCallDelta {
  index: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string };
}

export interface ChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    delta: { role?: 'assistant'; content?: string | null; tool_calls?: ChunkToolCallDelta[]; refusal?: string | null };
    finish_reason: FinishReason | null;
    logprobs?: unknown;
  }>;
  usage?: Usage | null;
}
