import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { GatewayMetrics } from '../core/ports/gateway-metrics.js';

const breakerValue = { closed: 0, 'half-open': 1, open: 2 } as const;

/** Prometheus figures for /metrics, in a registry of their own (one per app instance). */
export class PrometheusMetrics implements GatewayMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'alias' | 'deployment' | 'status' | 'cache'>;
  private readonly latency: Histogram<'alias' | 'deployment' | 'status'>;
  private readonly overhead: Histogram;
  private readonly tokens: Counter<'alias' | 'deployment' | 'direction'>;
  private readonly cost: Counter<'alias' | 'deployment'>;
  private readonly cacheHits: Counter<'alias' | 'kind'>;
  private readonly routeDecisions: Counter<'alias' | 'tier'>;
  private readonly piiDetections: Counter<'type'>;
  private readonly rejections: Counter<'reason'>;
  private readonly breaker: Gauge<'deployment'>;
  readonly httpErrors: Counter<'code'>;
  private readonly ledgerDrops: Counter;
  private readonly cacheErrors: Counter<'operation'>;

  readonly queueDepth: Gauge<'state'>;
  /** Where /metrics reads the queue depth from (set by the composition root). */
  depthSource: (() => Promise<Record<string, number>>) | undefined;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'breakwater_' });
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'breakwater_requests_total',
      help: 'Model calls by alias, deployment, status and cache result',
      labelNames: ['alias', 'deployment', 'status', 'cache'],
      registers,
    });
    this.latency = new Histogram({
      name: 'breakwater_request_duration_seconds',
      help: 'Model call latency as the client sees it (streams: until the answer is complete)',
      labelNames: ['alias', 'deployment', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.overhead = new Histogram({
      name: 'breakwater_overhead_seconds',
      help: "The gateway's own time per call, upstream excluded",
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05],
      registers,
    });
    this.tokens = new Counter({ name: 'breakwater_tokens_total', help: 'Tokens by direction (input, output)', labelNames: ['alias', 'deployment', 'direction'], registers });
    this.cost = new Counter({ name: 'breakwater_cost_usd_total', help: 'Spend in USD', labelNames: ['alias', 'deployment'], registers });
    this.cacheHits = new Counter({ name: 'breakwater_cache_hits_total', help: 'Cache hits by kind (exact, semantic)', labelNames: ['alias', 'kind'], registers });
    this.routeDecisions = new Counter({
      name: 'breakwater_route_decisions_total',
      help: 'Cost-aware router decisions by auto alias and tier',
      labelNames: ['alias', 'tier'],
      registers,
    });
    this.piiDetections = new Counter({ name: 'breakwater_pii_detections_total', help: 'Personal data found in requests, by type (counts only)', labelNames: ['type'], registers });
    this.rejections = new Counter({ name: 'breakwater_limit_rejections_total', help: 'Requests refused by rate limits or budgets', labelNames: ['reason'], registers });
    this.breaker = new Gauge({ name: 'breakwater_circuit_state', help: 'Circuit breaker per deployment: 0 closed, 1 half-open, 2 open', labelNames: ['deployment'], registers });
    this.queueDepth = new Gauge({
      name: 'breakwater_queue_depth',
      help: 'Jobs in the queue by state (ready, delayed, leased, dead); read from the queue at each scrape',
      labelNames: ['state'],
      registers,
      collect: async () => {
        if (!this.depthSource) return;
        const depth = await this.depthSource();
        for (const [state, count] of Object.entries(depth)) this.queueDepth.set({ state }, count);
      },
    });
    this.httpErrors = new Counter({ name: 'breakwater_http_errors_total', help: 'HTTP error responses by stable code', labelNames: ['code'], registers });
    this.ledgerDrops = new Counter({
      name: 'breakwater_ledger_rows_dropped_total',
      help: 'Ledger rows dropped because the store refused writes until the buffer (ledger.maxBufferedRows) was full',
      registers,
    });
    this.cacheErrors = new Counter({
      name: 'breakwater_cache_errors_total',
      help: 'Response cache operations that failed and were treated as a miss (get) or skipped (set)',
      labelNames: ['operation'],
      registers,
    });
  }

  observeCall(labels: { alias: string; deployment: string; status: number; cache: string }, latencySeconds: number, overheadSeconds: number): void {
    this.requests.inc({ alias: labels.alias, deployment: labels.deployment, status: labels.status, cache: labels.cache });
    this.latency.observe({ alias: labels.alias, deployment: labels.deployment, status: labels.status }, latencySeconds);
    this.overhead.observe(overheadSeconds);
  }

  addTokens(labels: { alias: string; deployment: string }, input: number, output: number): void {
    if (input) this.tokens.inc({ ...labels, direction: 'input' }, input);
    if (output) this.tokens.inc({ ...labels, direction: 'output' }, output);
  }

  addCost(labels: { alias: string; deployment: string }, usd: number): void {
    this.cost.inc(labels, usd);
  }

  countCacheHit(alias: string, kind: 'exact' | 'semantic' = 'exact'): void {
    this.cacheHits.inc({ alias, kind });
  }

  countRouteDecision(alias: string, tier: string): void {
    this.routeDecisions.inc({ alias, tier });
  }

  countPiiDetections(counts: Readonly<Record<string, number | undefined>>): void {
    for (const [type, count] of Object.entries(counts)) if (count) this.piiDetections.inc({ type }, count);
  }

  countRejection(reason: 'rpm' | 'tpm' | 'budget'): void {
    this.rejections.inc({ reason });
  }

  setBreakerState(deployment: string, state: 'closed' | 'open' | 'half-open'): void {
    this.breaker.set({ deployment }, breakerValue[state]);
  }

  countLedgerDrops(rows: number): void {
    this.ledgerDrops.inc(rows);
  }

  countCacheError(operation: 'get' | 'set'): void {
    this.cacheErrors.inc({ operation });
  }
}
