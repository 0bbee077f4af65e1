import type { BudgetPeriod } from '../../ports/store.js';

/** The UTC window a budget period covers at `now`: its counter name suffix, start and end. */
export function budgetWindow(period: BudgetPeriod, now: number): { label: string; start: number; end: number | undefined } {
  const date = new Date(now);
  if (period === 'day') {
    const start = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
    return { label: `day:${new Date(start).toISOString().slice(0, 10)}`, start, end: start + 86_400_000 };
  }
  if (period === 'month') {
    const start = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
    return { label: `month:${new Date(start).toISOString().slice(0, 7)}`, start, end: Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) };
  }
  return { label: 'total', start: 0, end: undefined };
}
