import type { Target } from './target.js';

export interface ProbeResult {
  status: number | null;
  ms: number;
  /** The start of the body, for the report when the answer is not what a client expects. */
  bodySample: string;
  complete: boolean;
  headers: Record<string, string>;
  error: string | undefined;
}

/** The body wrk sends (see chat-request.lua), so a probe sees what the load sees. */
export function chatBody(model: string, stream: boolean, content: string): string {
  return JSON.stringify({
    model,
    max_tokens: 16,
    ...(stream ? { stream: true } : {}),
    messages: [
      { role: 'system', content: 'You are a terse assistant answering a gateway benchmark.' },
      { role: 'user', content },
    ],
  });
}

/** One request, like `curl -i`: before the load to show each target works, after a failing run to show why. */
export async function probe(target: Target, stream: boolean, content: string): Promise<ProbeResult> {
  const started = performance.now();
  try {
    const response = await fetch(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...target.headers },
      body: chatBody(target.model, stream, content),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    const complete = response.ok && (stream ? text.includes('data: [DONE]') : text.includes('"choices"'));
    return {
      status: response.status,
      ms: performance.now() - started,
      bodySample: text.replace(/\s+/g, ' ').slice(0, 300),
      complete,
      headers: Object.fromEntries(response.headers),
      error: undefined,
    };
  } catch (error) {
    return { status: null, ms: performance.now() - started, bodySample: '', complete: false, headers: {}, error: (error as Error).message };
  }
}
