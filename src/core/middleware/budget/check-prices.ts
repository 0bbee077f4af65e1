import { BreakwaterError } from '../../errors/breakwater-error.js';
import type { AliasRoute } from '../../routing/alias-route.js';

/**
 * Start-up check of the deployments Breakwater knows no price for: their calls count $0, so a
 * key's budget does not hold on them. Keys (and their budgets) are created at run time, so
 * every such deployment is named here; the budget middleware names the key too, at its first
 * budgeted call there. With `pricing.requireForBudgets` start-up fails instead, so no budgeted
 * call can ever reach one.
 */
export function checkPrices(routes: ReadonlyMap<string, AliasRoute>, requireForBudgets: boolean, warn: (deployments: string[], message: string) => void): void {
  const unpriced = new Set<string>();
  for (const route of routes.values()) for (const deployment of route.deployments) if (deployment.unpriced) unpriced.add(deployment.id);
  if (unpriced.size === 0) return;
  const names = [...unpriced].join(', ');
  const fix = 'give each a price: models.<alias>.deployments[].price or pricing.<model> (USD per 1M tokens; { input: 0, output: 0 } for a free model)';
  if (requireForBudgets) {
    throw new BreakwaterError('CONFIG_INVALID', `pricing.requireForBudgets is on and Breakwater knows no price for ${names}; ${fix}.`, {
      details: { deployments: [...unpriced] },
    });
  }
  warn(
    [...unpriced],
    `Breakwater knows no price for ${names}: their calls count $0, so key budgets do not limit them; ${fix}, or set pricing.requireForBudgets: true to refuse to start without one.`,
  );
}
