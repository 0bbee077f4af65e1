import { lazy, Suspense, useMemo, useState } from 'react';
import { type List, query } from '../api';
import { ErrorMessage, Loading, Notice } from '../components/feedback';
import { type KeyView, useSignedIn } from '../session';
import { useApi } from '../use-api';
import { burnDown, byGroup, count, daysBetween, type Dimension, type LatencyByDay, percent, totalsOf, type UsageRow, usd } from './overview-data';

// Recharts is the largest part of the bundle: only this page loads it.
const OverviewCharts = lazy(() => import('./overview-charts'));

const ranges = [7, 30, 90] as const;
const dimensions: ReadonlyArray<{ value: Dimension; label: string; adminOnly?: boolean }> = [
  { value: 'model', label: 'Alias' },
  { value: 'key', label: 'Key' },
  { value: 'tenant', label: 'Tenant', adminOnly: true },
  { value: 'tier', label: 'Route tier' },
];

const isoDay = (time: number) => new Date(time).toISOString().slice(0, 10);

/** Requests, spend, tokens, cache hits and errors from the usage ledger, over time and by group; budget burn-down. */
export function OverviewPage() {
  const session = useSignedIn();
  const [days, setDays] = useState<number>(30);
  const [dimension, setDimension] = useState<Dimension>('model');
  const to = isoDay(Date.now());
  const from = isoDay(Date.now() - (days - 1) * 86_400_000);
  // The budget's period may start before the chosen range: ask from the month's first day too.
  const monthStart = `${to.slice(0, 7)}-01`;
  const usage = useApi<List<UsageRow>>(`/v1/usage${query({ from: from < monthStart ? from : monthStart, to })}`);
  const latest = useApi<LatencyByDay>(`/v1/usage/latency${query({ from, to, limit: 1000 })}`);
  const adminKeys = useApi<List<KeyView>>(session.kind === 'admin' ? '/v1/admin/keys' : undefined);

  const keys = useMemo(() => {
    const list = session.kind === 'admin' ? (adminKeys.data?.data ?? []) : session.key ? [session.key] : [];
    return new Map(list.map((key) => [key.id, key]));
  }, [session, adminKeys.data]);
  const rows = useMemo(() => (usage.data?.data ?? []).filter((row) => row.day >= from), [usage.data, from]);
  const totals = totalsOf(rows);
  const groups = byGroup(rows, dimension, keys);
  const budgets = [...keys.values()].flatMap((key) => {
    const burn = burnDown(key, usage.data?.data ?? [], new Date());
    return burn && !key.revoked_at ? [{ key, ...burn }] : [];
  });

  return (
    <>
      <h1 tabIndex={-1}>Overview</h1>
      <p className="subtle">{session.kind === 'admin' ? 'Every key and tenant.' : `Your key ${session.key?.name ?? ''} only.`} Days are UTC.</p>
      <div className="filters">
        <label>
          Range
          <select value={days} onChange={(event) => setDays(Number(event.target.value))}>
            {ranges.map((range) => (
              <option key={range} value={range}>
                last {range} days
              </option>
            ))}
          </select>
        </label>
        <label>
          Group by
          <select value={dimension} onChange={(event) => setDimension(event.target.value as Dimension)}>
            {dimensions
              .filter((option) => !option.adminOnly || session.kind === 'admin')
              .map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
          </select>
        </label>
      </div>
      <ErrorMessage error={usage.error} />
      {usage.loading && !usage.data ? <Loading /> : null}
      <ul className="stats" aria-label="Totals for the range">
        <li>
          <span className="stat-label">Requests</span>{' '}
          <span className="stat-value" data-testid="stat-requests">
            {count(totals.requests)}
          </span>
        </li>
        <li>
          <span className="stat-label">Spend</span>{' '}
          <span className="stat-value" data-testid="stat-spend">
            {usd(totals.costUsd)}
          </span>
        </li>
        <li>
          <span className="stat-label">Tokens in / out</span>{' '}
          <span className="stat-value">
            {count(totals.inputTokens)} / {count(totals.outputTokens)}
          </span>
        </li>
        <li>
          <span className="stat-label">Cache hits</span> <span className="stat-value">{percent(totals.cacheHits, totals.requests)}</span>
        </li>
        <li>
          <span className="stat-label">Error rate</span> <span className="stat-value">{percent(totals.errors, totals.requests)}</span>
        </li>
      </ul>
      {usage.data && totals.requests === 0 ? <Notice>No requests in this range yet.</Notice> : null}
      {usage.data && totals.requests > 0 ? (
        <Suspense fallback={<Loading label="Loading charts…" />}>
          <OverviewCharts rows={rows} days={daysBetween(from, to)} dimension={dimension} keys={keys} groups={groups.slice(0, 8).map((group) => group.group)} latest={latest.data} />
        </Suspense>
      ) : null}

      <h2>By {dimensions.find((option) => option.value === dimension)?.label.toLowerCase()}</h2>
      <div className="table-scroll">
        <table data-testid="usage-by-group">
          <thead>
            <tr>
              <th scope="col">{dimensions.find((option) => option.value === dimension)?.label}</th>
              <th scope="col">Requests</th>
              <th scope="col">Spend</th>
              <th scope="col">Tokens in</th>
              <th scope="col">Tokens out</th>
              <th scope="col">Cache hits</th>
              <th scope="col">Error rate</th>
            </tr>
          </thead>
          <tbody>
            {groups.map((group) => (
              <tr key={group.group}>
                <th scope="row">{group.group}</th>
                <td>{count(group.requests)}</td>
                <td>{usd(group.costUsd)}</td>
                <td>{count(group.inputTokens)}</td>
                <td>{count(group.outputTokens)}</td>
                <td>{percent(group.cacheHits, group.requests)}</td>
                <td>{percent(group.errors, group.requests)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>Budgets</h2>
      {budgets.length === 0 ? (
        <p className="subtle">
          No key {session.kind === 'admin' ? 'has' : 'budget on this key'}
          {session.kind === 'admin' ? ' a budget' : ''}.
        </p>
      ) : (
        <ul className="cards">
          {budgets.map(({ key, spent, forecast, periodStart }) => {
            const limit = key.budget!.usd;
            const over = forecast !== null && forecast > limit;
            return (
              <li key={key.id} className="panel">
                <h3>
                  {key.name} <span className="subtle">· {key.tenant}</span>
                </h3>
                <label className="meter-label">
                  {usd(spent)} of {usd(limit)} per {key.budget!.period} (since {periodStart})
                  <meter min={0} max={limit} low={limit * 0.75} high={limit * 0.9} optimum={0} value={Math.min(spent, limit)} />
                </label>
                {forecast === null ? null : (
                  <p className={over ? 'text-bad' : 'subtle'}>
                    At this pace: {usd(forecast)} by the period's end{over ? ' — over budget' : ''}.
                  </p>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
