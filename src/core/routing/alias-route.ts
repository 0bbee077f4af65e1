import type { Provider } from '../ports/provider.js';
import type { Price } from '../pricing/pricing.js';
import type { CircuitBreaker } from './circuit-breaker.js';

export interface Deployment {
  /** `provider/model`, the label in headers, metrics and the ledger. */
  id: string;
  provider: Provider;
  model: string;
  weight: number;
  timeoutMs: number;
  retries: number;
  price: Price;
  /** Breakwater knows no price for the model: its calls count $0, against budgets too. */
  unpriced?: boolean;
  breaker: CircuitBreaker;
}

/** A model alias: what clients put in `model`, resolved to ordered deployments. */
export interface AliasRoute {
  alias: string;
  strategy: 'fallback' | 'loadbalance';
  deployments: Deployment[];
  /** The dearest price among the deployments: reservations must cover any fallback. */
  maxPrice: Price;
}
