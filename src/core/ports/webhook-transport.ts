/** Sends one signed webhook. Adapters check targets against SSRF rules and never throw from deliver. */
export interface DeliveryOutcome {
  ok: boolean;
  status: number | null;
  error: string | null;
  durationMs: number;
  /** False for 2xx, 410 Gone and forbidden targets. */
  retry: boolean;
}

export interface WebhookTransport {
  /** Throws WEBHOOK_TARGET_FORBIDDEN for a URL that can never be a target (checked at submission). */
  checkTarget(url: string): void;
  /** `headers`: extra headers (the W3C `traceparent` / `tracestate`), sent before the signature's. */
  deliver(delivery: { url: string; body: string; deliveryId: string; headers?: Record<string, string> }): Promise<DeliveryOutcome>;
  close?(): Promise<void>;
}
