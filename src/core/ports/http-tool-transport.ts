/** Calls a workflow's HTTP tool: one signed, SSRF-guarded POST whose JSON answer is the tool's result. */
export interface HttpToolRequest {
  url: string;
  /** The JSON body, already serialised: the signature covers these exact bytes. */
  body: string;
  /** Sent as `Idempotency-Key` and as the signature's delivery id; the same on every re-send of one call. */
  idempotencyKey: string;
  timeoutMs: number;
  signal: AbortSignal;
}

export interface HttpToolTransport {
  /** Throws WEBHOOK_TARGET_FORBIDDEN for a URL that can never be called (checked when a workflow is registered). */
  checkTarget(url: string): void;
  /** Resolves with a 2xx answer's JSON; throws a BreakwaterError (retryable or not) otherwise. */
  call(request: HttpToolRequest): Promise<unknown>;
}
