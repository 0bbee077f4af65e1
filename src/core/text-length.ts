import type { ChatRequest } from '../wire/chat.js';

/**
 * The characters of a chat request's message texts, from their lengths alone (messages and
 * parts are counted, not read): enough to tell a call of megabytes from an ordinary one.
 */
export function chatTextLength(request: Pick<ChatRequest, 'messages'>): number {
  let length = 0;
  for (const message of request.messages) {
    const content = message.content;
    if (typeof content === 'string') length += content.length;
    else if (Array.isArray(content)) for (const part of content) length += part.type === 'text' && typeof part.text === 'string' ? part.text.length : 1;
  }
  return length;
}
