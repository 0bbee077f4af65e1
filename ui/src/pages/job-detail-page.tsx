import { useEffect, useState } from 'react';
import type { WireJobEvent } from '../../../src/wire/job-events';
import type { WireJob, WirePipelineResult } from '../../../src/wire/jobs';
import { api } from '../api';
import { ErrorMessage, Loading, StatusBadge, Time } from '../components/feedback';
import { Link, navigate } from '../router';
import { useSignedIn } from '../session';
import { useApi } from '../use-api';

const finalEvents = new Set(['job-end', 'job-fail', 'job-cancel']);

/** Follows a job's SSE stream (the session cookie authenticates it) until its final event. */
function useJobEvents(id: string, enabled: boolean, onFinal: () => void): WireJobEvent[] {
  const [events, setEvents] = useState<WireJobEvent[]>([]);
  useEffect(() => {
    if (!enabled) return;
    const source = new EventSource(`/v1/jobs/${encodeURIComponent(id)}/events`);
    const receive = (message: MessageEvent<string>) => {
      const event = JSON.parse(message.data) as WireJobEvent;
      setEvents((list) => (list.some((seen) => seen.seq === event.seq) ? list : [...list, event]));
      if (finalEvents.has(event.type)) {
        source.close();
        onFinal();
      }
    };
    for (const type of ['job-queued', 'job-start', 'job-progress', 'job-retry', 'job-end', 'job-fail', 'job-cancel']) source.addEventListener(type, receive);
    return () => source.close();
  }, [id, enabled, onFinal]);
  return events;
}

function describeEvent(event: WireJobEvent): string {
  switch (event.type) {
    case 'job-progress':
      return `${event.step ?? 'progress'}${typeof event.page === 'number' && typeof event.of === 'number' ? ` (${event.page}/${event.of})` : ''}`;
    case 'job-start':
      return `attempt ${event.attempt ?? ''} started`;
    case 'job-retry':
      return `attempt ${event.attempt ?? ''} failed (${event.error?.code ?? 'error'}); retry scheduled`;
    case 'job-fail':
      return `failed: ${event.error?.code ?? ''} ${event.error?.message ?? ''}`;
    default:
      return event.status ?? event.type;
  }
}

/** One job: its state, live progress, attempts, error, result (with the record's provenance), webhook deliveries; cancel and retry. */
export function JobDetailPage({ id }: { id: string }) {
  const session = useSignedIn();
  const job = useApi<WireJob>(`/v1/jobs/${encodeURIComponent(id)}`);
  const live = job.data !== undefined && (job.data.status === 'queued' || job.data.status === 'running');
  // The stream replays a job's events from the first, so an ended job shows its history too.
  const events = useJobEvents(id, job.data !== undefined, job.reload);
  const [actionError, setActionError] = useState<unknown>();

  const cancel = async () => {
    setActionError(undefined);
    try {
      await api('POST', `/v1/jobs/${encodeURIComponent(id)}/cancel`);
      job.reload();
    } catch (error) {
      setActionError(error);
    }
  };
  // A failed or cancelled job runs again as a new job (POST /v1/jobs/:id/retry); its page opens.
  const retry = async () => {
    setActionError(undefined);
    try {
      const copy = await api<WireJob>('POST', `/v1/jobs/${encodeURIComponent(id)}/retry`);
      navigate(`/jobs/${encodeURIComponent(copy.id)}`);
    } catch (error) {
      setActionError(error);
    }
  };
  const data = job.data;
  // A retry runs under a key (the new job is the key's): the admin can read and cancel, not retry.
  const retryable = session.kind === 'key' && data !== undefined && (data.status === 'failed' || data.status === 'cancelled') && data.kind !== 'workflow';
  const lastProgress = [...events].reverse().find((event) => event.type === 'job-progress');
  const pipelineResult = data?.kind === 'pipeline' && data.result ? (data.result as WirePipelineResult) : undefined;

  return (
    <>
      <p>
        <Link to="/jobs">← All jobs</Link>
      </p>
      <h1 tabIndex={-1}>
        Job <code>{id}</code>
      </h1>
      <ErrorMessage error={job.error} />
      {!data && job.loading ? <Loading /> : null}
      {data ? (
        <>
          <div className="row">
            <span data-testid="job-status">
              <StatusBadge status={data.status} />
            </span>
            {live ? (
              <button type="button" className="button-danger" onClick={() => void cancel()}>
                Cancel job
              </button>
            ) : null}
            {retryable ? (
              <button type="button" onClick={() => void retry()}>
                Retry as a new job
              </button>
            ) : null}
          </div>
          <ErrorMessage error={actionError} />
          <dl className="facts">
            {data.tenant ? (
              <>
                <dt>Tenant</dt>
                <dd>{data.tenant}</dd>
              </>
            ) : null}
            <dt>Kind</dt>
            <dd>{data.pipeline ? `${data.kind} · ${data.pipeline}` : data.kind}</dd>
            <dt>Step</dt>
            <dd data-testid="job-step">{(live ? lastProgress?.step : undefined) ?? data.step ?? '—'}</dd>
            <dt>Attempts</dt>
            <dd>
              {data.attempts} of {data.max_attempts}
            </dd>
            {data.metadata.retry_of ? (
              <>
                <dt>Retry of</dt>
                <dd>
                  <Link to={`/jobs/${encodeURIComponent(data.metadata.retry_of)}`}>
                    <code>{data.metadata.retry_of}</code>
                  </Link>
                </dd>
              </>
            ) : null}
            <dt>Source</dt>
            <dd>{data.source ?? '—'}</dd>
            <dt>Created</dt>
            <dd>
              <Time seconds={data.created_at} />
            </dd>
            <dt>Started</dt>
            <dd>
              <Time seconds={data.started_at} />
            </dd>
            <dt>Finished</dt>
            <dd>
              <Time seconds={data.finished_at} />
            </dd>
          </dl>

          <section aria-labelledby="progress-heading">
            <h2 id="progress-heading">Progress</h2>
            {events.length === 0 ? (
              <p className="subtle">Waiting for events…</p>
            ) : (
              <ol className="timeline" aria-live="polite" data-testid="job-events">
                {events.map((event) => (
                  <li key={event.seq}>
                    <Time seconds={event.at} /> <strong>{event.type}</strong> {describeEvent(event)}
                  </li>
                ))}
              </ol>
            )}
          </section>

          {data.error ? (
            <section aria-labelledby="error-heading">
              <h2 id="error-heading">Error</h2>
              <p>
                <code className="code-tag">{data.error.code}</code> {data.error.message}
              </p>
              {data.error.details?.validation_errors?.length ? (
                <table>
                  <caption>Validation errors</caption>
                  <thead>
                    <tr>
                      <th scope="col">Path</th>
                      <th scope="col">Problem</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.error.details.validation_errors.map((problem) => (
                      <tr key={`${problem.path}:${problem.message}`}>
                        <td>
                          <code>{problem.path || '/'}</code>
                        </td>
                        <td>{problem.message}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : null}
              <details>
                <summary>Raw error</summary>
                <pre>{JSON.stringify(data.error, null, 2)}</pre>
              </details>
            </section>
          ) : null}

          {pipelineResult ? (
            <section aria-labelledby="record-heading">
              <h2 id="record-heading">Record</h2>
              <dl className="facts">
                <dt>Record id</dt>
                <dd>{pipelineResult.record_id ?? 'not stored (no store sink)'}</dd>
                <dt>Extraction attempts</dt>
                <dd>{pipelineResult.extraction_attempts}</dd>
                <dt>Cost</dt>
                <dd>${pipelineResult.cost_usd.toFixed(6)}</dd>
              </dl>
              <pre>{JSON.stringify(pipelineResult.record, null, 2)}</pre>
            </section>
          ) : data.result ? (
            <section aria-labelledby="result-heading">
              <h2 id="result-heading">Result</h2>
              <pre data-testid="job-result">{JSON.stringify(data.result, null, 2)}</pre>
            </section>
          ) : null}

          <section aria-labelledby="webhooks-heading">
            <h2 id="webhooks-heading">Webhook deliveries</h2>
            {data.webhook_deliveries?.length ? (
              <div className="table-scroll">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Event</th>
                      <th scope="col">URL</th>
                      <th scope="col">Status</th>
                      <th scope="col">Attempts</th>
                      <th scope="col">Last answer</th>
                      <th scope="col">Next attempt</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.webhook_deliveries.map((delivery) => (
                      <tr key={delivery.id}>
                        <td>{delivery.type}</td>
                        <td className="wrap">{delivery.url}</td>
                        <td>
                          <StatusBadge status={delivery.status} />
                        </td>
                        <td>{delivery.attempts}</td>
                        <td>{delivery.last_status ?? delivery.last_error ?? '—'}</td>
                        <td>
                          <Time seconds={delivery.next_attempt_at} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : (
              <p className="subtle">{data.webhook ? 'No deliveries yet.' : 'This job has no webhook.'}</p>
            )}
          </section>
        </>
      ) : null}
    </>
  );
}
