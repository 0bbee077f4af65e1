import { errorCatalogue, type ErrorCode } from '../../src/core/errors/catalogue.js';

/** What a hostile request's answer was, judged by what a client relies on. */
export type Verdict =
  | { kind: 'ok'; status: number }
  | { kind: 'client-error'; status: number; code: ErrorCode }
  | { kind: 'fivexx'; status: number; code: string | undefined }
  | { kind: 'bad-envelope'; status: number; problem: string }
  | { kind: 'leak'; status: number; problem: string }
  | { kind: 'no-answer'; status: 0 };

/**
 * 2xx, or a 4xx in the OpenAI envelope `{ error: { message, type, code, param } }` whose
 * code is in the catalogue with that status and type. Anything else (a 5xx, a body of
 * Fastify's own, a 3xx, a closed connection without a status) is a finding. `secrets` must
 * appear nowhere in the answer.
 */
export function judgeResponse(answer: { status: number; body: string; method: string; headers?: Record<string, unknown> }, secrets: string[]): Verdict {
  const { status, body } = answer;
  const everything = `${JSON.stringify(answer.headers ?? {})}${body}`;
  for (const secret of secrets) if (everything.includes(secret)) return { kind: 'leak', status, problem: 'a secret appears in the answer' };
  if (status === 0) return { kind: 'no-answer', status: 0 };
  if (status >= 200 && status < 300) return sseErrorVerdict(status, body) ?? { kind: 'ok', status };
  const parsed = parseEnvelope(body);
  if (status >= 500) return { kind: 'fivexx', status, code: typeof parsed === 'string' ? undefined : parsed.code };
  if (status < 400) return { kind: 'bad-envelope', status, problem: `status ${status} outside 2xx/4xx` };
  // HEAD answers carry no body; the status alone is what the client gets.
  if (answer.method === 'HEAD' && body === '') return { kind: 'ok', status };
  if (typeof parsed === 'string') return { kind: 'bad-envelope', status, problem: parsed };
  const entry = errorCatalogue[parsed.code as ErrorCode] as { status: number; type: string } | undefined;
  if (!entry) return { kind: 'bad-envelope', status, problem: `code ${parsed.code} is not in the catalogue` };
  if (entry.status !== status || entry.type !== parsed.type)
    return { kind: 'bad-envelope', status, problem: `code ${parsed.code} is catalogued as ${entry.status}/${entry.type}, answered ${status}/${parsed.type}` };
  return { kind: 'client-error', status, code: parsed.code as ErrorCode };
}

function parseEnvelope(body: string): { code: string; type: string } | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return `body is not JSON: ${JSON.stringify(body.slice(0, 200))}`;
  }
  const error = (parsed as { error?: Record<string, unknown> } | null)?.error;
  if (typeof error !== 'object' || error === null) return `no error object: ${body.slice(0, 200)}`;
  const keys = Object.keys(error).sort().join(',');
  if (keys !== 'code,message,param,type') return `envelope keys are ${keys}: ${body.slice(0, 200)}`;
  if (typeof error.message !== 'string' || typeof error.type !== 'string' || typeof error.code !== 'string') return `envelope fields of the wrong type: ${body.slice(0, 200)}`;
  if (error.param !== null && typeof error.param !== 'string') return `param is neither a string nor null: ${body.slice(0, 200)}`;
  return { code: error.code, type: error.type };
}

/** An SSE stream that started 200 but ended in a server-side error event is a 5xx in disguise. */
function sseErrorVerdict(status: number, body: string): Verdict | undefined {
  for (const match of body.matchAll(/data: (\{"error":.*)\n/g)) {
    const parsed = parseEnvelope(match[1]!);
    if (typeof parsed === 'string') return { kind: 'bad-envelope', status, problem: `stream error event: ${parsed}` };
    const entry = errorCatalogue[parsed.code as ErrorCode] as { status: number } | undefined;
    if (!entry) return { kind: 'bad-envelope', status, problem: `stream error code ${parsed.code} is not in the catalogue` };
    if (entry.status >= 500) return { kind: 'fivexx', status: entry.status, code: parsed.code };
  }
  return undefined;
}

/** One line for a failure message: what was sent and what came back. */
export function describeExchange(
  request: { method: string; url: string; headers?: Record<string, string>; body?: string | Buffer },
  answer: { status: number; body: string },
  verdict: Verdict,
): string {
  const body = request.body === undefined ? '' : String(request.body);
  return `${verdict.kind} (${JSON.stringify(verdict)}) for ${request.method} ${request.url.slice(0, 300)} headers=${JSON.stringify(request.headers ?? {}).slice(0, 400)} body=${JSON.stringify(body.slice(0, 400))}${body.length > 400 ? `…(${body.length} chars)` : ''} → ${answer.status} ${answer.body.slice(0, 400)}`;
}
