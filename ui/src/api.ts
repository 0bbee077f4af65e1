/**
 * The dashboard's HTTP client: same-origin calls to the /v1 API and the session endpoints.
 * The session cookie travels by itself; state-changing calls add the CSRF token.
 */

let csrfToken: string | undefined;

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** An error answer in the OpenAI envelope, with its stable code. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Listeners told when a call comes back 401 (the session ended): the app shows the login page. */
const unauthorizedListeners = new Set<() => void>();
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export async function api<Result>(method: string, path: string, body?: unknown): Promise<Result> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(path, { method, headers, credentials: 'same-origin', ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  if (response.status === 204) return undefined as Result;
  const text = await response.text();
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    const error = (parsed as { error?: { message?: string; code?: string } } | undefined)?.error;
    if (response.status === 401 && !path.startsWith('/ui/api/session')) for (const listener of unauthorizedListeners) listener();
    throw new ApiError(error?.message ?? `HTTP ${response.status}`, response.status, error?.code ?? 'HTTP_ERROR');
  }
  return parsed as Result;
}

/** A query string from the defined, non-empty values. */
export function query(values: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

export interface List<Item> {
  object: 'list';
  data: Item[];
  has_more?: boolean;
  next_cursor?: string | null;
}
