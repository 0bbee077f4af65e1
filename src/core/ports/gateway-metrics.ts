/** What the gateway reports to metrics; implemented with prom-client at the edge. */
export interface GatewayMetrics {
  observeCall(labels: { alias: string; deployment: string; status: number; cache: string }, latencySeconds: number, overheadSeconds: number): void;
  addTokens(labels: { alias: string; deployment: string }, input: number, output: number): void;
  addCost(labels: { alias: string; deployment: string }, usd: number): void;
  countCacheHit(alias: string): void;
  countRejection(reason: 'rpm' | 'tpm' | 'budget'): void;
  setBreakerState(deployment: string, state: 'closed' | 'open' | 'half-open'): void;
}
