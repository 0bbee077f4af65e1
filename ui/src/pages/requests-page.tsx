import { type FormEvent, Fragment, useMemo, useState } from 'react';
import { type List, query } from '../api';
import { ErrorMessage, Loading, Notice, StatusBadge } from '../components/feedback';
import { type KeyView, useSignedIn } from '../session';
import { useApi } from '../use-api';
import { usd } from './overview-data';

/** One row of GET /v1/usage/requests. */
export interface RequestRow {
  request_id: string;
  /** Epoch ms. */
  at: number;
  key_id: string | null;
  model: string;
  deployment: string | null;
  operation: string;
  prompt: { name: string; version: number | null } | null;
  route_tier: string | null;
  status: number;
  error_code: string | null;
  cache: string;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  latency_ms: number;
}

const filterNames = ['model', 'route_tier', 'prompt', 'key_id', 'from', 'to'] as const;
type Filters = Partial<Record<(typeof filterNames)[number], string>>;

/** The call log from the usage ledger, newest first: filters, paging, one request's detail. */
export function RequestsPage() {
  const session = useSignedIn();
  const [filters, setFilters] = useState<Filters>({});
  const [cursors, setCursors] = useState<string[]>([]);
  const [find, setFind] = useState('');
  const [open, setOpen] = useState<string | undefined>();
  const requests = useApi<List<RequestRow>>(`/v1/usage/requests${query({ ...filters, cursor: cursors[cursors.length - 1], limit: 50 })}`);
  const keys = useApi<List<KeyView>>(session.kind === 'admin' ? '/v1/admin/keys' : undefined);
  const keyNames = useMemo(() => new Map((keys.data?.data ?? []).map((key) => [key.id, key.name])), [keys.data]);

  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setCursors([]);
    setFilters(Object.fromEntries(filterNames.map((name) => [name, String(data.get(name) ?? '').trim()]).filter(([, value]) => value !== '')));
  };
  const needle = find.trim().toLowerCase();
  const rows = (requests.data?.data ?? []).filter(
    (row) => !needle || [row.request_id, row.deployment, row.error_code, row.model, String(row.status)].some((field) => field?.toLowerCase().includes(needle)),
  );

  return (
    <>
      <h1 tabIndex={-1}>Requests</h1>
      <p className="subtle">{session.kind === 'admin' ? 'Every key’s calls' : 'Your key’s calls'}, newest first, from the usage ledger (no prompt text is stored).</p>
      <form className="filters" onSubmit={apply} aria-label="Filter requests">
        <label>
          Model alias
          <input name="model" defaultValue={filters.model} />
        </label>
        <label>
          Route tier
          <input name="route_tier" defaultValue={filters.route_tier} />
        </label>
        <label>
          Prompt
          <input name="prompt" defaultValue={filters.prompt} />
        </label>
        {session.kind === 'admin' ? (
          <label>
            Key
            <select name="key_id" defaultValue={filters.key_id ?? ''}>
              <option value="">any</option>
              {(keys.data?.data ?? []).map((key) => (
                <option key={key.id} value={key.id}>
                  {key.name} ({key.tenant})
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label>
          From
          <input name="from" type="date" defaultValue={filters.from} />
        </label>
        <label>
          To
          <input name="to" type="date" defaultValue={filters.to} />
        </label>
        <button type="submit">Filter</button>
        <button type="button" className="button-quiet" onClick={requests.reload}>
          Refresh
        </button>
      </form>
      <label className="find">
        Find in this page (request id, deployment, status or error code)
        <input type="search" value={find} onChange={(event) => setFind(event.target.value)} />
      </label>
      <ErrorMessage error={requests.error} />
      {requests.loading && !requests.data ? <Loading /> : null}
      {requests.data && rows.length === 0 ? <Notice>No requests match.</Notice> : null}
      {rows.length > 0 ? (
        <div className="table-scroll">
          <table aria-busy={requests.loading} data-testid="requests">
            <caption className="visually-hidden">Requests, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                {session.kind === 'admin' ? <th scope="col">Key</th> : null}
                <th scope="col">Model → deployment</th>
                <th scope="col">Tier</th>
                <th scope="col">Status</th>
                <th scope="col">Cache</th>
                <th scope="col">Tokens in/out</th>
                <th scope="col">Cost</th>
                <th scope="col">Latency</th>
                <th scope="col">
                  <span className="visually-hidden">Detail</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <Fragment key={row.request_id}>
                  <tr>
                    <td>
                      <time dateTime={new Date(row.at).toISOString()}>{new Date(row.at).toLocaleString()}</time>
                    </td>
                    {session.kind === 'admin' ? <td>{row.key_id ? (keyNames.get(row.key_id) ?? row.key_id) : '—'}</td> : null}
                    <td>
                      {row.model} → {row.deployment ?? '—'}
                    </td>
                    <td>{row.route_tier ?? '—'}</td>
                    <td>
                      <StatusBadge status={row.status < 400 ? String(row.status) : `${row.status} ${row.error_code ?? ''}`.trim()} tone={row.status < 400 ? 'good' : 'bad'} />
                    </td>
                    <td>{row.cache}</td>
                    <td>
                      {row.input_tokens}/{row.output_tokens}
                    </td>
                    <td>{usd(row.cost_usd)}</td>
                    <td>{Math.round(row.latency_ms)} ms</td>
                    <td>
                      <button
                        type="button"
                        className="button-quiet"
                        aria-expanded={open === row.request_id}
                        aria-controls={`detail-${row.request_id}`}
                        onClick={() => setOpen(open === row.request_id ? undefined : row.request_id)}
                      >
                        Detail<span className="visually-hidden"> of {row.request_id}</span>
                      </button>
                    </td>
                  </tr>
                  {open === row.request_id ? (
                    <tr id={`detail-${row.request_id}`}>
                      <td colSpan={session.kind === 'admin' ? 10 : 9}>
                        <dl className="facts">
                          <dt>Request id</dt>
                          <dd>
                            <code>{row.request_id}</code> (the x-request-id header and the trace's request)
                          </dd>
                          <dt>Operation</dt>
                          <dd>{row.operation}</dd>
                          <dt>Prompt</dt>
                          <dd>{row.prompt ? `${row.prompt.name} v${row.prompt.version ?? '?'}` : '—'}</dd>
                          <dt>Error</dt>
                          <dd>{row.error_code ?? '—'}</dd>
                        </dl>
                        <pre>{JSON.stringify(row, null, 2)}</pre>
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <nav className="pager" aria-label="Pages of requests">
        <button type="button" disabled={cursors.length === 0} onClick={() => setCursors((list) => list.slice(0, -1))}>
          Previous page
        </button>
        <button
          type="button"
          disabled={!requests.data?.has_more || !requests.data.next_cursor}
          onClick={() => requests.data?.next_cursor && setCursors((list) => [...list, requests.data!.next_cursor!])}
        >
          Next page
        </button>
      </nav>
    </>
  );
}
