import { Pool } from 'undici';
import type { ChatCompletion, ChatRequest } from '../../src/wire/chat.js';
import type { AnswerKind } from './model-answers.js';

export interface ModelCall {
  completion: ChatCompletion;
  /** What the simulated model meant to send (from `x-bench-answer-kind`); the bench's ground truth. */
  kind: AnswerKind;
}

/** A keep-alive pool to the mock model server: every call is a real HTTP round trip. */
export class ModelClient {
  private readonly pool: Pool;

  constructor(origin: string, connections: number) {
    this.pool = new Pool(origin, { connections, keepAliveTimeout: 30_000 });
  }

  async chat(request: Omit<ChatRequest, 'model'>): Promise<ModelCall> {
    const response = await this.pool.request({
      path: '/v1/chat/completions',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'bench-extractor', ...request }),
    });
    const text = await response.body.text();
    if (response.statusCode !== 200) throw new Error(`mock model answered HTTP ${response.statusCode}: ${text.slice(0, 200)}`);
    return { completion: JSON.parse(text) as ChatCompletion, kind: String(response.headers['x-bench-answer-kind']) as AnswerKind };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
