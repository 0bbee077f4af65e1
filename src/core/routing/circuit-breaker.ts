export type BreakerState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  failureThreshold: number;
  cooldownMs: number;
  onStateChange?: (state: BreakerState) => void;
  now?: () => number;
}

/**
 * Per-deployment circuit breaker: `failureThreshold` consecutive failures open it; after
 * `cooldownMs` one probe request is let through (half-open); its success closes the
 * breaker, its failure opens it for another cooldown.
 */
export class CircuitBreaker {
  private current: BreakerState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private probeInFlight = false;
  private readonly now: () => number;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.now = options.now ?? Date.now;
  }

  get state(): BreakerState {
    if (this.current === 'open' && this.now() - this.openedAt >= this.options.cooldownMs) this.transition('half-open');
    return this.current;
  }

  /** True when a call may go out now; in half-open, only one probe at a time. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.probeInFlight) return false;
    this.probeInFlight = true;
    return true;
  }

  /** Milliseconds until an open breaker lets a probe through. */
  get retryInMs(): number {
    return this.current === 'open' ? Math.max(0, this.options.cooldownMs - (this.now() - this.openedAt)) : 0;
  }

  onSuccess(): void {
    this.failures = 0;
    this.probeInFlight = false;
    if (this.current !== 'closed') this.transition('closed');
  }

  onFailure(): void {
    this.probeInFlight = false;
    this.failures++;
    if (this.current === 'half-open' || this.failures >= this.options.failureThreshold) {
      this.openedAt = this.now();
      this.transition('open');
    }
  }

  /** The call ended without telling anything about the upstream's health (e.g. a client abort). */
  onNeutral(): void {
    this.probeInFlight = false;
  }

  private transition(state: BreakerState): void {
    if (this.current === state) return;
    this.current = state;
    this.options.onStateChange?.(state);
  }
}
