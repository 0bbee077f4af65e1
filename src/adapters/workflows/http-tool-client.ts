import { request, type Agent } from 'undici';
import { BreakwaterError } from '../../core/errors/breakwater-error.js';
import type { HttpToolRequest, HttpToolTransport } from '../../core/ports/http-tool-transport.js';
import { signPayload } from '../../core/webhooks/signature.js';
import { guardedDispatcher, type TargetPolicy } from '../webhooks/ssrf-guard.js';

/** A tool's answer is read up to this size; a larger one fails the call. */
const responseLimit = 1024 * 1024;

/**
 * Calls workflow HTTP tools the way webhooks are sent: SSRF-guarded (private addresses only
 * when `webhooks.allow` names them, checked again at connect time), signed with the webhook
 * secrets (`breakwater-signature`, the idempotency key as `breakwater-webhook-id`) and with
 * an `Idempotency-Key` header the receiver should deduplicate on: a call re-sent after a
 * crash carries the same key.
 */
export class HttpToolClient implements HttpToolTransport {
  private readonly dispatcher: Agent;

  constructor(
    private readonly policy: TargetPolicy,
    private readonly secrets: string[],
  ) {
    this.dispatcher = guardedDispatcher(policy, { connectTimeoutMs: 10_000 });
  }

  checkTarget(url: string): void {
    this.policy.checkUrl(url);
  }

  async call(call: HttpToolRequest): Promise<unknown> {
    const url = this.policy.checkUrl(call.url);
    let response: Awaited<ReturnType<typeof request>>;
    try {
      response = await request(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Breakwater-Workflow',
          'idempotency-key': call.idempotencyKey,
          ...signPayload(call.body, this.secrets, Date.now(), call.idempotencyKey),
        },
        body: call.body,
        dispatcher: this.dispatcher,
        signal: call.signal,
        headersTimeout: call.timeoutMs,
        bodyTimeout: call.timeoutMs,
      });
    } catch (error) {
      if (BreakwaterError.isInstance(error)) throw error;
      throw new BreakwaterError('GATEWAY_UPSTREAM_UNAVAILABLE', `The tool endpoint did not answer: ${error instanceof Error ? error.message : String(error)}`, {
        retryable: true,
        cause: error,
      });
    }
    const text = await response.body.text();
    if (text.length > responseLimit) throw new BreakwaterError('WORKFLOW_TOOL_FAILED', `The tool answered more than ${responseLimit} bytes.`);
    const status = response.statusCode;
    if (status < 200 || status >= 300) {
      // 4xx means the call itself is wrong: sending it again will not help (408 and 429 aside).
      const retryable = status >= 500 || status === 408 || status === 429;
      throw new BreakwaterError('WORKFLOW_TOOL_FAILED', `The tool endpoint answered HTTP ${status}.`, { retryable });
    }
    try {
      return text === '' ? null : JSON.parse(text);
    } catch {
      throw new BreakwaterError('WORKFLOW_TOOL_FAILED', 'The tool endpoint answered with something that is not JSON.');
    }
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}
