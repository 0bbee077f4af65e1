import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { GatewayMetrics } from '../core/ports/gateway-metrics.js';

const breakerValue = { closed: 0, 'half-open': 1, open: 2 } as const;
/** Label sets whose children are kept (see callSeriesOf). */
const maxSeries = 10_000;

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

  private readonly callSeries = new Map<string, { requests: Counter.Internal; latency: Histogram.Internal<'alias' | 'deployment' | 'status'> }>();
  private readonly deploymentSeries = new Map<string, { inputTokens: Counter.Internal; outputTokens: Counter.Internal; cost: Counter.Internal }>();

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
    const series = this.callSeriesOf(labels.alias, labels.deployment, labels.status, labels.cache);
    series.requests.inc();
    series.latency.observe(latencySeconds);
    this.overhead.observe(overheadSeconds);
  }

  addTokens(labels: { alias: string; deployment: string }, input: number, output: number): void {
    const series = this.deploymentSeriesOf(labels.alias, labels.deployment);
    if (input) series.inputTokens.inc(input);
    if (output) series.outputTokens.inc(output);
  }

  addCost(labels: { alias: string; deployment: string }, usd: number): void {
    this.deploymentSeriesOf(labels.alias, labels.deployment).cost.inc(usd);
  }

  /**
   * The labelled children of a call's series, looked up once per label set: prom-client hashes
   * the label object on every inc/observe (sorting its keys), which cost more per request than
   * the gateway's routing. Bounded: past `maxSeries` label sets the memo starts over.
   */
  private callSeriesOf(alias: string, deployment: string, status: number, cache: string) {
    const key = `${alias}\u0000${deployment}\u0000${status}\u0000${cache}`;
    let series = this.callSeries.get(key);
    if (!series) {
      if (this.callSeries.size >= maxSeries) this.callSeries.clear();
      series = { requests: this.requests.labels({ alias, deployment, status, cache }), latency: this.latency.labels({ alias, deployment, status }) };
      this.callSeries.set(key, series);
    }
    return series;
  }

  private deploymentSeriesOf(alias: string, deployment: string) {
    const key = `${alias}\u0000${deployment}`;
    let series = this.deploymentSeries.get(key);
    if (!series) {
      if (this.deploymentSeries.size >= maxSeries) this.deploymentSeries.clear();
      series = {
        inputTokens: this.tokens.labels({ alias, deployment, direction: 'input' }),
        outputTokens: this.tokens.labels({ alias, deployment, direction: 'output' }),
        cost: this.cost.labels({ alias, deployment }),
      };
      this.deploymentSeries.set(key, series);
    }
    return series;
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
