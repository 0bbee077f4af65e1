import { useState } from 'react';
import type { WireShadowReport } from '../../../src/wire/shadow';
import type { List } from '../api';
import { ErrorMessage, Loading, Notice, StatusBadge } from '../components/feedback';
import { useSignedIn } from '../session';
import { useApi } from '../use-api';

interface WireShadow {
  object: 'shadow';
  name: string;
  target: Record<string, unknown>;
  candidate: Record<string, unknown>;
  sample_rate: number;
  budget_usd: number;
}

const actionTone = { promote: 'good', 'keep-shadowing': 'busy', 'do-not-promote': 'bad' } as const;

function percent(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `${(value * 100).toFixed(1)}%`;
}

/** An answer as sent, indented when it is JSON. */
function readable(answer: string): string {
  try {
    return JSON.stringify(JSON.parse(answer), null, 2);
  } catch {
    return answer;
  }
}

/** What a target or candidate is, in words: an alias, a prompt (with its label or version), or an endpoint. */
function describeSide(side: Record<string, unknown>): string {
  if (typeof side.alias === 'string') return `alias ${side.alias}`;
  if (typeof side.url === 'string') return `endpoint ${side.url}`;
  const prompt = side.prompt;
  if (typeof prompt === 'string') return `prompt ${prompt}`;
  if (prompt && typeof prompt === 'object') {
    const reference = prompt as { name?: string; label?: string; version?: number };
    return `prompt ${reference.name ?? ''}${reference.label ? `@${reference.label}` : reference.version ? `@${reference.version}` : ''}`;
  }
  return JSON.stringify(side);
}

/**
 * Shadow reports (admin token: a report spans every tenant's sampled calls): each declared
 * shadow's candidate beside its primary, agreement per field, the disagreeing examples
 * (personal data masked) and the recommendation.
 */
export function ShadowPage() {
  const session = useSignedIn();
  const shadows = useApi<List<WireShadow>>(session.kind === 'admin' ? '/v1/shadow' : undefined);
  if (session.kind !== 'admin') {
    return (
      <>
        <h1 tabIndex={-1}>Shadow</h1>
        <Notice>Shadow reports span every tenant's sampled calls: log in with the admin token to read them.</Notice>
      </>
    );
  }
  return (
    <>
      <h1 tabIndex={-1}>Shadow</h1>
      <p className="subtle">Each shadow runs a candidate beside sampled primary calls, after the caller has its answer, and compares the two.</p>
      <ErrorMessage error={shadows.error} />
      {shadows.loading && !shadows.data ? <Loading /> : null}
      {shadows.data?.data.length === 0 ? <Notice>No shadows are declared (shadows: in breakwater.yaml).</Notice> : null}
      <ul className="cards cards-wide">
        {shadows.data?.data.map((shadow) => (
          <li key={shadow.name}>
            <ShadowReport shadow={shadow} />
          </li>
        ))}
      </ul>
    </>
  );
}

function ShadowReport({ shadow }: { shadow: WireShadow }) {
  const [limit, setLimit] = useState(1000);
  const report = useApi<WireShadowReport>(`/v1/shadow/${encodeURIComponent(shadow.name)}/report?limit=${limit}`);
  const headingId = `shadow-${shadow.name}`;
  const data = report.data;
  return (
    <article className="panel" aria-labelledby={headingId} data-testid={`shadow-${shadow.name}`}>
      <h2 id={headingId}>
        {shadow.name} {data ? <StatusBadge status={data.recommendation.action} tone={actionTone[data.recommendation.action]} /> : null}
      </h2>
      <p className="subtle">
        Sample rate {percent(shadow.sample_rate)}, candidate budget ${shadow.budget_usd} a day
      </p>
      <div className="filters">
        <label>
          Latest samples
          <select value={limit} onChange={(event) => setLimit(Number(event.target.value))}>
            {[100, 1000, 10000].map((value) => (
              <option key={value} value={value}>
                {value.toLocaleString()}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="button-quiet" onClick={report.reload}>
          Refresh
        </button>
      </div>
      <ErrorMessage error={report.error} />
      {report.loading && !data ? <Loading /> : null}
      {data ? (
        <>
          <div className="side-by-side">
            <section aria-label={`${shadow.name}: primary`}>
              <h3>Primary</h3>
              <p>{describeSide(data.target)}</p>
              <dl className="facts">
                <dt>p50 latency</dt>
                <dd>{data.latency_ms ? `${Math.round(data.latency_ms.primary_p50)} ms` : '—'}</dd>
                <dt>Mean cost</dt>
                <dd>{data.cost_usd ? `$${data.cost_usd.primary_mean.toFixed(6)}` : '—'}</dd>
              </dl>
            </section>
            <section aria-label={`${shadow.name}: candidate`}>
              <h3>Candidate</h3>
              <p>{describeSide(data.candidate)}</p>
              <dl className="facts">
                <dt>p50 latency</dt>
                <dd>
                  {data.latency_ms
                    ? `${Math.round(data.latency_ms.candidate_p50)} ms (${data.latency_ms.delta_p50 >= 0 ? '+' : ''}${Math.round(data.latency_ms.delta_p50)} ms)`
                    : '—'}
                </dd>
                <dt>Mean cost</dt>
                <dd>{data.cost_usd ? `$${data.cost_usd.candidate_mean.toFixed(6)}` : '—'}</dd>
              </dl>
            </section>
          </div>
          <ul className="stats">
            <li>
              <span className="stat-label">Samples</span> <span className="stat-value">{data.samples}</span>
            </li>
            <li>
              <span className="stat-label">Compared</span> <span className="stat-value">{data.compared}</span>
            </li>
            <li>
              <span className="stat-label">Candidate errors</span> <span className="stat-value">{data.candidate_errors}</span>
            </li>
            <li>
              <span className="stat-label">Agreement</span>{' '}
              <span className="stat-value" data-testid="shadow-agreement">
                {percent(data.agreement)}
              </span>
            </li>
            <li>
              <span className="stat-label">Fully agreeing samples</span> <span className="stat-value">{percent(data.full_agreement)}</span>
            </li>
          </ul>

          <h3>Recommendation: {data.recommendation.action.replaceAll('-', ' ')}</h3>
          <ul data-testid="shadow-reasons">
            {data.recommendation.reasons.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>

          {data.fields.length > 0 ? (
            <div className="table-scroll">
              <table data-testid="shadow-fields">
                <caption>Agreement per field</caption>
                <thead>
                  <tr>
                    <th scope="col">Field</th>
                    <th scope="col">Agreement</th>
                    <th scope="col">Comparisons</th>
                  </tr>
                </thead>
                <tbody>
                  {data.fields.map((field) => (
                    <tr key={field.path}>
                      <th scope="row">
                        <code>{field.path}</code>
                      </th>
                      <td>
                        <meter min={0} max={1} value={field.agreement} aria-label={`${field.path} agreement`} /> <span className="meter-label">{percent(field.agreement)}</span>
                      </td>
                      <td>{field.comparisons}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          {data.text ? (
            <p>
              Text answers: mean similarity {percent(data.text.mean_similarity)}, mean length ratio {data.text.mean_length_ratio.toFixed(2)} over {data.text.samples} samples.
            </p>
          ) : null}

          <h3>Disagreeing examples</h3>
          {data.disagreements.length === 0 ? <p className="subtle">None among these samples.</p> : null}
          <ol className="stack" data-testid="shadow-disagreements">
            {data.disagreements.slice(0, 10).map((example) => (
              <li key={`${example.request_id}-${example.at}`}>
                <p>
                  <code>{example.request_id}</code> · fields {example.fields.join(', ') || '(text)'}
                </p>
                <div className="side-by-side">
                  <figure>
                    <figcaption>Primary</figcaption>
                    <pre className="wrap-pre">{readable(example.primary)}</pre>
                  </figure>
                  <figure>
                    <figcaption>Candidate</figcaption>
                    <pre className="wrap-pre">{readable(example.candidate)}</pre>
                  </figure>
                </div>
              </li>
            ))}
          </ol>
          {data.disagreements.length > 10 ? <p className="hint">The newest 10 of {data.disagreements.length} are shown.</p> : null}
        </>
      ) : null}
    </article>
  );
}
