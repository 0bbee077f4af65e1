import { type FormEvent, useCallback, useEffect, useState } from 'react';
import type { WireApproval, WireJournalEntry, WireWorkflowRun } from '../../../src/wire/workflows';
import { wireRunStatuses } from '../../../src/wire/workflows';
import { api, type List, query } from '../api';
import { ErrorMessage, Loading, Notice, StatusBadge, Time } from '../components/feedback';
import { Link } from '../router';
import { useSignedIn } from '../session';
import { useApi } from '../use-api';

const runTone: Record<string, 'good' | 'bad' | 'busy' | 'neutral'> = { waiting_approval: 'busy' };

export function runPath(id: string): string {
  return `/workflows/runs/${encodeURIComponent(id)}`;
}

/** Workflow runs, newest first: a key's tenant's, or every tenant's for the admin; filter by status and workflow (and tenant, admin), page by cursor. */
export function WorkflowRunsPage() {
  const session = useSignedIn();
  return session.kind === 'admin' ? <RunList admin /> : <RunList tenant={session.key?.tenant ?? ''} />;
}

function RunList({ admin = false, tenant }: { admin?: boolean; tenant?: string }) {
  const [filters, setFilters] = useState({ status: '', workflow: '', tenant: '' });
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const runs = useApi<List<WireWorkflowRun>>(`/v1/workflow-runs${query({ ...filters, cursor, limit: 20 })}`);

  const applyFilters = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setCursors([]);
    setFilters({ status: String(data.get('status') ?? ''), workflow: String(data.get('workflow') ?? '').trim(), tenant: String(data.get('tenant') ?? '').trim() });
  };

  return (
    <>
      <h1 tabIndex={-1}>Workflow runs</h1>
      <p className="subtle">{admin ? 'Every tenant’s runs (admin).' : `Tenant ${tenant}`}</p>
      <form className="filters" onSubmit={applyFilters} aria-label="Filter runs">
        <label>
          Status
          <select name="status" defaultValue={filters.status}>
            {['', ...wireRunStatuses].map((status) => (
              <option key={status} value={status}>
                {status ? status.replace('_', ' ') : 'any'}
              </option>
            ))}
          </select>
        </label>
        <label>
          Workflow
          <input name="workflow" defaultValue={filters.workflow} />
        </label>
        {admin ? (
          <label>
            Tenant
            <input name="tenant" defaultValue={filters.tenant} />
          </label>
        ) : null}
        <button type="submit">Filter</button>
        <button type="button" className="button-quiet" onClick={runs.reload}>
          Refresh
        </button>
      </form>
      <ErrorMessage error={runs.error} />
      {runs.loading && !runs.data ? <Loading /> : null}
      {runs.data ? (
        runs.data.data.length === 0 ? (
          <Notice>No runs match.</Notice>
        ) : (
          <div className="table-scroll">
            <table aria-busy={runs.loading} data-testid="runs">
              <caption className="visually-hidden">Workflow runs, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Run</th>
                  {admin ? <th scope="col">Tenant</th> : null}
                  <th scope="col">Workflow</th>
                  <th scope="col">Status</th>
                  <th scope="col">State</th>
                  <th scope="col">Steps</th>
                  <th scope="col">Spent</th>
                  <th scope="col">Started</th>
                  <th scope="col">Finished</th>
                </tr>
              </thead>
              <tbody>
                {runs.data.data.map((run) => (
                  <tr key={run.id} data-run-id={run.id}>
                    <th scope="row">
                      <Link to={runPath(run.id)}>
                        <code>{run.id}</code>
                      </Link>
                    </th>
                    {admin ? <td>{run.tenant}</td> : null}
                    <td>
                      {run.workflow} v{run.version}
                    </td>
                    <td>
                      <StatusBadge status={run.status} tone={runTone[run.status]} />
                    </td>
                    <td>{run.state}</td>
                    <td>{run.steps}</td>
                    <td>${run.budget_spent_usd.toFixed(4)}</td>
                    <td>
                      <Time seconds={run.created_at} />
                    </td>
                    <td>
                      <Time seconds={run.finished_at} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
      <nav className="pager" aria-label="Pages of runs">
        <button type="button" disabled={cursors.length === 0} onClick={() => setCursors((list) => list.slice(0, -1))}>
          Previous page
        </button>
        <button
          type="button"
          disabled={!runs.data?.has_more || !runs.data.next_cursor}
          onClick={() => runs.data?.next_cursor && setCursors((list) => [...list, runs.data!.next_cursor!])}
        >
          Next page
        </button>
      </nav>
    </>
  );
}

/** What one journal entry says, in a line. */
function describeEntry(entry: WireJournalEntry): string {
  const record = (value: unknown) => (value && typeof value === 'object' ? (value as Record<string, unknown>) : {});
  const input = record(entry.input);
  const output = record(entry.output);
  switch (entry.kind) {
    case 'tool-call':
      return `calls ${String(input.tool ?? 'a tool')}`;
    case 'tool-result':
      return `${String(input.tool ?? 'the tool')} answered`;
    case 'approval-request':
      return `asks a human to approve ${String(input.tool ?? 'a tool call')}`;
    case 'approval-escalation':
      return 'the approval is escalated';
    case 'approval-decision':
      return `${String(output.tool ?? 'the call')} ${String(output.status ?? 'decided')}${output.edited === true ? ' with edited arguments' : ''}`;
    case 'transition':
      return `${String(input.from ?? '')} → ${String(input.to ?? '')}`;
    case 'model-decision':
      return output.type === 'tool' ? `the model chose the tool ${String(output.name ?? '')}` : `the model chose ${String(output.name ?? 'the next state')}`;
    case 'error':
      return `error ${String(output.code ?? '')} ${String(output.message ?? '')}`.trim();
    default:
      return entry.kind;
  }
}

const finalStatuses = new Set(['succeeded', 'failed', 'cancelled']);
const entryKinds: readonly WireJournalEntry['kind'][] = [
  'model-decision',
  'tool-call',
  'tool-result',
  'approval-request',
  'approval-escalation',
  'approval-decision',
  'transition',
  'error',
];

/**
 * Follows a run's SSE stream (the session cookie authenticates it) while the run has not ended:
 * each new journal entry is kept and `onEntry` is told. The stream replays from the first entry.
 */
function useRunEvents(id: string, enabled: boolean, onEntry: () => void): WireJournalEntry[] {
  const [entries, setEntries] = useState<WireJournalEntry[]>([]);
  useEffect(() => {
    if (!enabled) return;
    const source = new EventSource(`/v1/workflow-runs/${encodeURIComponent(id)}/events`);
    const receive = (message: MessageEvent<string>) => {
      const entry = JSON.parse(message.data) as WireJournalEntry;
      setEntries((list) => (list.some((seen) => seen.seq === entry.seq) ? list : [...list, entry]));
      onEntry();
    };
    for (const kind of entryKinds) source.addEventListener(kind, receive);
    return () => source.close();
  }, [id, enabled, onEntry]);
  return entries;
}

/** The journal as read, with the entries the stream brought since, in order. */
function mergeEntries(read: readonly WireJournalEntry[], live: readonly WireJournalEntry[]): WireJournalEntry[] {
  const bySeq = new Map<number, WireJournalEntry>();
  for (const entry of [...read, ...live]) bySeq.set(entry.seq, entry);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/** One run: its state and context, its approvals, and its journal (steps, tool calls, approvals) in order; cancel. */
export function WorkflowRunPage({ id }: { id: string }) {
  const session = useSignedIn();
  const isKey = session.kind === 'key';
  const encoded = encodeURIComponent(id);
  const run = useApi<WireWorkflowRun>(`/v1/workflow-runs/${encoded}`);
  const journal = useApi<{ object: 'list'; data: WireJournalEntry[]; has_more: boolean }>(`/v1/workflow-runs/${encoded}/journal?limit=1000`);
  // Approvals are a tenant's inbox (keys only); the admin sees the run's approval steps in its journal.
  const approvals = useApi<List<WireApproval>>(isKey ? `/v1/approvals${query({ run: id, limit: 100 })}` : undefined);
  const [actionError, setActionError] = useState<unknown>();
  const { reload: reloadRun } = run;
  const { reload: reloadApprovals } = approvals;
  // A new entry can change the run's status and its approvals: read both again.
  const onEntry = useCallback(() => {
    reloadRun();
    reloadApprovals();
  }, [reloadRun, reloadApprovals]);
  const live = run.data !== undefined && !finalStatuses.has(run.data.status);
  const streamed = useRunEvents(id, live, onEntry);

  const reload = () => {
    run.reload();
    journal.reload();
    approvals.reload();
  };
  const entries = journal.data ? mergeEntries(journal.data.data, streamed) : undefined;
  const cancel = async () => {
    setActionError(undefined);
    try {
      await api('POST', `/v1/workflow-runs/${encoded}/cancel`, {});
      reload();
    } catch (caught) {
      setActionError(caught);
    }
  };
  const data = run.data;
  return (
    <>
      <p>
        <Link to="/workflows">← Workflow runs</Link>
      </p>
      <h1 tabIndex={-1}>
        Run <code>{id}</code>
      </h1>
      <ErrorMessage error={run.error} />
      {run.loading && !data ? <Loading /> : null}
      {data ? (
        <>
          <dl className="facts">
            {data.tenant ? (
              <>
                <dt>Tenant</dt>
                <dd>{data.tenant}</dd>
              </>
            ) : null}
            <dt>Workflow</dt>
            <dd>
              {data.workflow} v{data.version}
            </dd>
            <dt>Status</dt>
            <dd data-testid="run-status">
              <StatusBadge status={data.status} tone={runTone[data.status]} />
            </dd>
            <dt>State</dt>
            <dd data-testid="run-state">{data.state}</dd>
            <dt>Steps</dt>
            <dd>{data.steps}</dd>
            <dt>Spent</dt>
            <dd>${data.budget_spent_usd.toFixed(4)}</dd>
            <dt>Started</dt>
            <dd>
              <Time seconds={data.created_at} />
            </dd>
            <dt>Finished</dt>
            <dd>
              <Time seconds={data.finished_at} />
            </dd>
          </dl>
          <div className="row">
            <button type="button" className="button-quiet" onClick={reload}>
              Refresh
            </button>
            {finalStatuses.has(data.status) ? null : (
              <button type="button" className="button-danger" onClick={() => void cancel()}>
                Cancel run
              </button>
            )}
          </div>
          <ErrorMessage error={actionError} />
          {data.error ? (
            <div className="alert alert-error" role="alert">
              {data.error.message} <code className="code-tag">{data.error.code}</code>
            </div>
          ) : null}

          <section className="panel" aria-labelledby="approvals-heading">
            <h2 id="approvals-heading">Approvals</h2>
            {isKey ? null : <p className="subtle">Approvals are decided in the tenant's inbox (log in with one of its keys); the journal below shows this run's approval steps.</p>}
            <ErrorMessage error={approvals.error} />
            {approvals.data?.data.length === 0 ? <p className="subtle">This run asked for no approval.</p> : null}
            <ul className="stack" data-testid="run-approvals">
              {approvals.data?.data.map((approval) => (
                <li key={approval.id}>
                  <code>{approval.tool}</code> <StatusBadge status={approval.status} />{' '}
                  {approval.decided_by ? (
                    <>
                      by {approval.decided_by} <Time seconds={approval.decided_at} />
                      {approval.reason ? ` · ${approval.reason}` : ''}
                    </>
                  ) : (
                    <Link to="/approvals">decide in the inbox</Link>
                  )}
                </li>
              ))}
            </ul>
          </section>

          <section className="panel" aria-labelledby="context-heading">
            <h2 id="context-heading">Context</h2>
            <pre data-testid="run-context">{JSON.stringify(data.context, null, 2)}</pre>
          </section>
        </>
      ) : null}

      <section className="panel" aria-labelledby="journal-heading">
        <h2 id="journal-heading">Journal</h2>
        <ErrorMessage error={journal.error} />
        {journal.loading && !journal.data ? <Loading /> : null}
        {entries ? (
          <div className="table-scroll">
            <table data-testid="run-journal" aria-live={live ? 'polite' : undefined}>
              <caption className="visually-hidden">The run's journal, oldest first</caption>
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">Kind</th>
                  <th scope="col">State</th>
                  <th scope="col">What happened</th>
                  <th scope="col">Actor</th>
                  <th scope="col">At</th>
                  <th scope="col">Detail</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((entry) => (
                  <tr key={entry.seq} data-kind={entry.kind}>
                    <th scope="row">{entry.seq}</th>
                    <td>
                      <code>{entry.kind}</code>
                    </td>
                    <td>{entry.state}</td>
                    <td className="wrap">{describeEntry(entry)}</td>
                    <td>{entry.actor ?? '—'}</td>
                    <td>
                      <Time seconds={entry.at} />
                    </td>
                    <td>
                      <details>
                        <summary>Input and output of step {entry.seq}</summary>
                        <pre>{JSON.stringify({ input: entry.input, output: entry.output }, null, 2)}</pre>
                      </details>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        {journal.data?.has_more ? <p className="hint">The first 1,000 steps are shown; GET /v1/workflow-runs/{id}/journal?after=1000 reads on.</p> : null}
      </section>
    </>
  );
}
