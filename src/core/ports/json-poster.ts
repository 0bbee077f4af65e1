/**
 * Posts JSON to an HTTP endpoint an operator configured (a shadow's legacy-logic candidate)
 * and reads its JSON answer. Not for tenant-supplied URLs: those go through the webhook
 * transport and its SSRF guard.
 */
export interface JsonPoster {
  /** Resolves with any status; rejects when the connection fails or `signal` aborts. */
  post(url: string, body: unknown, options: { headers: Record<string, string>; signal: AbortSignal }): Promise<{ status: number; body: unknown }>;
  close?(): Promise<void>;
}
