import { ErrorMessage, Loading, Notice, StatusBadge } from '../components/feedback';
import { useSignedIn } from '../session';
import { useApi } from '../use-api';

interface Figures {
  requests: number;
  error_rate: number;
  mean_latency_ms: number;
  mean_cost_usd: number;
  mean_input_tokens: number;
  mean_output_tokens: number;
}

/** GET /v1/monitors */
interface MonitorList {
  object: 'list';
  /** Unix milliseconds. */
  window: { from: number; to: number };
  reference_window: { from: number; to: number };
  data: Array<{
    object: 'monitor';
    alias: string;
    prompt: string | null;
    judged: boolean;
    /** `change` is null when the reference was 0 (an infinite rise does not survive JSON). */
    drifting: Array<{ signal: string; current: number; reference: number; change: number | null; threshold: number }>;
    current: Figures;
    reference: Figures | null;
  }>;
}

const signalNames: Record<string, string> = {
  error_rate: 'error rate',
  latency: 'latency',
  cost: 'cost',
  output_tokens: 'output length',
  input_tokens: 'input length',
};

function describeWindow(window: { from: number; to: number }): string {
  return `${new Date(window.from).toLocaleString()} – ${new Date(window.to).toLocaleString()}`;
}

function change(drift: { signal: string; change: number | null }): string {
  if (drift.change === null) return 'up from 0';
  // The error rate's change is in points; the others are relative.
  return drift.signal === 'error_rate'
    ? `${drift.change >= 0 ? '+' : ''}${(drift.change * 100).toFixed(1)} points`
    : `${drift.change >= 0 ? '+' : ''}${(drift.change * 100).toFixed(0)}%`;
}

/** Drift monitors (admin token): each alias and prompt version, its current window against its reference, and the signals past their thresholds. */
export function DriftPage() {
  const session = useSignedIn();
  const monitors = useApi<MonitorList>(session.kind === 'admin' ? '/v1/monitors' : undefined);
  if (session.kind !== 'admin') {
    return (
      <>
        <h1 tabIndex={-1}>Drift</h1>
        <Notice>Drift monitors span every tenant's calls: log in with the admin token to read them.</Notice>
      </>
    );
  }
  const data = monitors.data;
  const drifting = data?.data.filter((series) => series.drifting.length > 0).length ?? 0;
  return (
    <>
      <h1 tabIndex={-1}>Drift</h1>
      <div className="filters">
        <button type="button" className="button-quiet" onClick={monitors.reload}>
          Refresh
        </button>
      </div>
      <ErrorMessage error={monitors.error} />
      {monitors.loading && !data ? <Loading /> : null}
      {data ? (
        <>
          <p className="subtle">
            Current window: {describeWindow(data.window)}. Reference: {describeWindow(data.reference_window)}.
          </p>
          <p role="status" data-testid="drift-summary">
            {drifting === 0 ? 'No series is drifting.' : `${drifting} of ${data.data.length} series ${drifting === 1 ? 'is' : 'are'} drifting.`}
          </p>
          {data.data.length === 0 ? <Notice>No calls in the current window yet.</Notice> : null}
          {data.data.length > 0 ? (
            <div className="table-scroll">
              <table data-testid="monitors">
                <caption className="visually-hidden">Each alias and prompt version, current window against reference</caption>
                <thead>
                  <tr>
                    <th scope="col">Alias · prompt</th>
                    <th scope="col">State</th>
                    <th scope="col">Drifting signals</th>
                    <th scope="col">Requests now / before</th>
                    <th scope="col">Error rate now / before</th>
                    <th scope="col">Latency now / before</th>
                    <th scope="col">Output tokens now / before</th>
                    <th scope="col">Cost now / before</th>
                  </tr>
                </thead>
                <tbody>
                  {data.data.map((series) => {
                    const name = `${series.alias}${series.prompt ? ` · ${series.prompt}` : ''}`;
                    const before = series.reference;
                    return (
                      <tr key={name} data-series={series.prompt ?? series.alias}>
                        <th scope="row">{name}</th>
                        <td>
                          {!series.judged ? (
                            <StatusBadge status="not judged" tone="neutral" />
                          ) : series.drifting.length > 0 ? (
                            <StatusBadge status="drifting" tone="bad" />
                          ) : (
                            <StatusBadge status="steady" tone="good" />
                          )}
                        </td>
                        <td className="wrap">{series.drifting.map((drift) => `${signalNames[drift.signal] ?? drift.signal} ${change(drift)}`).join(', ') || '—'}</td>
                        <td>
                          {series.current.requests} / {before?.requests ?? '—'}
                        </td>
                        <td>
                          {(series.current.error_rate * 100).toFixed(1)}% / {before ? `${(before.error_rate * 100).toFixed(1)}%` : '—'}
                        </td>
                        <td>
                          {Math.round(series.current.mean_latency_ms)} ms / {before ? `${Math.round(before.mean_latency_ms)} ms` : '—'}
                        </td>
                        <td>
                          {Math.round(series.current.mean_output_tokens)} / {before ? Math.round(before.mean_output_tokens) : '—'}
                        </td>
                        <td>
                          ${series.current.mean_cost_usd.toFixed(6)} / {before ? `$${before.mean_cost_usd.toFixed(6)}` : '—'}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          ) : null}
          <p className="hint">A series is judged once both windows hold enough calls (monitors.minRequests); cache hits never count.</p>
        </>
      ) : null}
    </>
  );
}
