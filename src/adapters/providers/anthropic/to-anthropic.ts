import { BreakwaterError } from '../../../core/errors/breakwater-error.js';
import type { ChatMessage, ChatRequest } from '../../../wire/chat.js';

/** The synthetic tool that carries a `json_schema` answer, since Anthropic has no response_format. */
export const jsonResponseTool = 'json_response';

/** Anthropic requires an output cap; OpenAI callers usually leave it out. */
const defaultMaxTokens = 4096;

const jsonObjectInstruction = 'Reply with a single JSON object and nothing else: no prose, no Markdown code fences.';

export interface AnthropicTextBlock {
  type: 'text';
  text: string;
}
export interface AnthropicImageBlock {
  type: 'image';
  source: { type: 'base64'; media_type: string; data: string } | { type: 'url'; url: string };
}
export type AnthropicBlock =
  | AnthropicTextBlock
  | AnthropicImageBlock
  | { type: 'tool_use'; id: string; name: string; input: unknown }
  | { type: 'tool_result'; tool_use_id: string; content: string | Array<AnthropicTextBlock | AnthropicImageBlock> };

export interface AnthropicTurn {
  role: 'user' | 'assistant';
  content: AnthropicBlock[];
}

export type AnthropicToolChoice = ({ type: 'auto' } | { type: 'any' } | { type: 'none' } | { type: 'tool'; name: string }) & {
  disable_parallel_tool_use?: boolean;
};

export interface AnthropicRequest {
  model: string;
  max_tokens: number;
  messages: AnthropicTurn[];
  system?: string;
  tools?: Array<{ name: string; description?: string; input_schema: Record<string, unknown> }>;
  tool_choice?: AnthropicToolChoice;
  stop_sequences?: string[];
  temperature?: number;
  top_p?: number;
  metadata?: { user_id: string };
  stream: boolean;
}

/**
 * Translates an OpenAI chat request into an Anthropic Messages request. Parameters with no
 * Anthropic counterpart (seed, penalties, logit_bias, logprobs) are dropped rather than
 * rejected, so one request body works across providers.
 */
export function toAnthropic(request: ChatRequest, model: string, stream: boolean): AnthropicRequest {
  const system: string[] = [];
  const messages: AnthropicTurn[] = [];
  request.messages.forEach((message, index) => {
    if (message.role === 'system' || message.role === 'developer') system.push(textOf(message.content));
    else appendTurn(messages, toTurn(message, index));
  });
  if (request.response_format?.type === 'json_object') system.push(jsonObjectInstruction);

  const body: AnthropicRequest = {
    model,
    max_tokens: request.max_completion_tokens ?? request.max_tokens ?? defaultMaxTokens,
    messages,
    stream,
  };
  if (system.length > 0) body.system = system.join('\n\n');
  Object.assign(body, toolsOf(request));
  if (request.stop != null) body.stop_sequences = typeof request.stop === 'string' ? [request.stop] : request.stop;
  // OpenAI's temperature runs 0–2, Anthropic's 0–1; clamping keeps "hot" requests valid.
  if (request.temperature != null) body.temperature = Math.min(1, request.temperature);
  if (request.top_p != null) body.top_p = request.top_p;
  const user = request.user ?? request.safety_identifier;
  if (user) body.metadata = { user_id: user };
  return body;
}

function toolsOf(request: ChatRequest): Pick<AnthropicRequest, 'tools' | 'tool_choice'> {
  const tools: NonNullable<AnthropicRequest['tools']> = (request.tools ?? []).map((tool, index) => {
    if (request.response_format?.type === 'json_schema' && tool.function.name === jsonResponseTool) {
      throw new BreakwaterError('INVALID_REQUEST', `The tool name "${jsonResponseTool}" is reserved by the Anthropic adapter for response_format json_schema; rename the tool.`, {
        param: `tools[${index}].function.name`,
      });
    }
    const input_schema = tool.function.parameters ?? { type: 'object', properties: {} };
    return tool.function.description === undefined
      ? { name: tool.function.name, input_schema }
      : { name: tool.function.name, description: tool.function.description, input_schema };
  });
  let choice = toolChoiceOf(request.tool_choice);
  if (request.response_format?.type === 'json_schema') {
    const format = request.response_format.json_schema;
    tools.push({ name: jsonResponseTool, description: format.description ?? `Respond with the ${format.name} object.`, input_schema: format.schema ?? { type: 'object' } });
    // With caller tools on offer and no forced choice, "any" lets the model either call a real
    // tool or answer through json_response; otherwise the JSON answer is forced.
    const callerTools = tools.length > 1 && choice?.type !== 'none';
    if (!callerTools) choice = { type: 'tool', name: jsonResponseTool };
    else if (choice === undefined || choice.type === 'auto') choice = { type: 'any' };
  }
  if (tools.length === 0) return {};
  if (request.parallel_tool_calls === false && choice?.type !== 'none') choice = { ...(choice ?? { type: 'auto' }), disable_parallel_tool_use: true };
  return choice === undefined ? { tools } : { tools, tool_choice: choice };
}

function toolChoiceOf(choice: ChatRequest['tool_choice']): AnthropicToolChoice | undefined {
  if (choice === undefined) return undefined;
  if (choice === 'auto') return { type: 'auto' };
  if (choice === 'required') return { type: 'any' };
  if (choice === 'none') return { type: 'none' };
  return { type: 'tool', name: choice.function.name };
}

function toTurn(message: Exclude<ChatMessage, { role: 'system' | 'developer' }>, index: number): AnthropicTurn {
  if (message.role === 'user') return { role: 'user', content: contentBlocks(message.content, `messages[${index}]`) };
  if (message.role === 'tool') {
    const content = typeof message.content === 'string' ? message.content : contentBlocks(message.content, `messages[${index}]`);
    return { role: 'user', content: [{ type: 'tool_result', tool_use_id: message.tool_call_id, content }] };
  }
  const content: AnthropicBlock[] = message.content == null ? [] : contentBlocks(message.content, `messages[${index}]`);
  (message.tool_calls ?? []).forEach((call, callIndex) => {
    content.push({
      type: 'tool_use',
      id: call.id,
      name: call.function.name,
      input: parseArguments(call.function.arguments, `messages[${index}].tool_calls[${callIndex}].function.arguments`),
    });
  });
  return { role: 'assistant', content };
}

/** Anthropic rejects two turns of the same role in a row, so they become one turn. */
function appendTurn(messages: AnthropicTurn[], turn: AnthropicTurn): void {
  if (turn.content.length === 0) return;
  const last = messages.at(-1);
  if (last?.role === turn.role) last.content.push(...turn.content);
  else messages.push(turn);
}

function parseArguments(text: string, param: string): unknown {
  try {
    return JSON.parse(text === '' ? '{}' : text);
  } catch {
    throw new BreakwaterError('INVALID_REQUEST', `${param} is not valid JSON; Anthropic needs tool-call arguments as a JSON object.`, { param });
  }
}

type Content = Extract<ChatMessage, { role: 'user' }>['content'];

function textOf(content: Content): string {
  if (typeof content === 'string') return content;
  return content.map((part) => ('text' in part && typeof part.text === 'string' ? part.text : '')).join('');
}

function contentBlocks(content: Content, param: string): Array<AnthropicTextBlock | AnthropicImageBlock> {
  // Anthropic rejects empty text blocks, which OpenAI clients send freely (e.g. content: "").
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  const blocks: Array<AnthropicTextBlock | AnthropicImageBlock> = [];
  content.forEach((part, index) => {
    if (part.type === 'text' && 'text' in part && typeof part.text === 'string') {
      if (part.text !== '') blocks.push({ type: 'text', text: part.text });
    } else if (part.type === 'image_url' && 'image_url' in part) {
      blocks.push(imageBlock((part.image_url as { url: string }).url, `${param}.content[${index}].image_url.url`));
    } else {
      throw new BreakwaterError('INVALID_REQUEST', `Content part type "${part.type}" is not supported by Anthropic models; send text or image_url parts.`, {
        param: `${param}.content[${index}].type`,
      });
    }
  });
  return blocks;
}

function imageBlock(url: string, param: string): AnthropicImageBlock {
  const data = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  if (data) return { type: 'image', source: { type: 'base64', media_type: data[1]!, data: data[2]! } };
  if (/^https?:\/\//i.test(url)) return { type: 'image', source: { type: 'url', url } };
  throw new BreakwaterError('INVALID_REQUEST', `${param} must be an http(s) URL or a base64 data: URL.`, { param });
}
