import type { AliasRoute } from '../../routing/alias-route.js';

/**
 * The route the budget reserves against while a cascade is planned: both tiers' deployments
 * and the sum of their dearest prices, so one reservation covers the first attempt and the
 * escalation (prompt twice, the output cap twice). The cascade swaps in each tier's own route
 * before it calls the provider, so nothing is ever sent through this one.
 */
export function cascadeReservationRoute(first: AliasRoute, escalation: AliasRoute): AliasRoute {
  return {
    alias: first.alias,
    strategy: first.strategy,
    deployments: [...first.deployments, ...escalation.deployments],
    maxPrice: { input: first.maxPrice.input + escalation.maxPrice.input, output: first.maxPrice.output + escalation.maxPrice.output },
  };
}
