import { Agent, request } from 'undici';
import type { JsonPoster } from '../../core/ports/json-poster.js';

/** Longest answer read from a configured endpoint; anything longer is cut and fails to parse. */
const maxAnswerBytes = 1024 * 1024;

/** JSON over undici with a keep-alive pool of its own. */
export class UndiciJsonPoster implements JsonPoster {
  private readonly agent = new Agent({ keepAliveTimeout: 10_000, connections: 16 });

  async post(url: string, body: unknown, options: { headers: Record<string, string>; signal: AbortSignal }): Promise<{ status: number; body: unknown }> {
    const response = await request(url, {
      method: 'POST',
      dispatcher: this.agent,
      headers: { 'content-type': 'application/json', accept: 'application/json', ...options.headers },
      body: JSON.stringify(body),
      signal: options.signal,
    });
    let text = '';
    for await (const chunk of response.body) {
      text += chunk;
      if (text.length > maxAnswerBytes) {
        response.body.destroy();
        break;
      }
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.statusCode, body: parsed };
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
