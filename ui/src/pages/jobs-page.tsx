import { type FormEvent, useState } from 'react';
import type { WireJob } from '../../../src/wire/jobs';
import { type List, query } from '../api';
import { ErrorMessage, Loading, Notice, StatusBadge, Time } from '../components/feedback';
import { Link } from '../router';
import { useSignedIn } from '../session';
import { useApi } from '../use-api';

const statuses = ['', 'queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;

/** Jobs, newest first: a key's tenant's, or every tenant's for the admin; filter by status and pipeline (and tenant, admin), page by cursor. */
export function JobsPage() {
  const session = useSignedIn();
  return session.kind === 'admin' ? <JobList admin /> : <JobList tenant={session.key?.tenant ?? ''} />;
}

function JobList({ admin = false, tenant }: { admin?: boolean; tenant?: string }) {
  const [filters, setFilters] = useState({ status: '', pipeline: '', tenant: '' });
  // Cursors of the pages before this one, so "Previous" can go back.
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const jobs = useApi<List<WireJob>>(`/v1/jobs${query({ ...filters, cursor, limit: 20 })}`);

  const applyFilters = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setCursors([]);
    setFilters({ status: String(data.get('status') ?? ''), pipeline: String(data.get('pipeline') ?? '').trim(), tenant: String(data.get('tenant') ?? '').trim() });
  };

  return (
    <>
      <h1 tabIndex={-1}>Jobs</h1>
      <p className="subtle">{admin ? 'Every tenant’s jobs (admin).' : `Tenant ${tenant}`}</p>
      <form className="filters" onSubmit={applyFilters} aria-label="Filter jobs">
        <label>
          Status
          <select name="status" defaultValue={filters.status}>
            {statuses.map((status) => (
              <option key={status} value={status}>
                {status || 'any'}
              </option>
            ))}
          </select>
        </label>
        <label>
          Pipeline
          <input name="pipeline" defaultValue={filters.pipeline} />
        </label>
        {admin ? (
          <label>
            Tenant
            <input name="tenant" defaultValue={filters.tenant} />
          </label>
        ) : null}
        <button type="submit">Filter</button>
        <button type="button" className="button-quiet" onClick={jobs.reload}>
          Refresh
        </button>
      </form>
      <ErrorMessage error={jobs.error} />
      {jobs.loading && !jobs.data ? <Loading /> : null}
      {jobs.data ? (
        jobs.data.data.length === 0 ? (
          <Notice>No jobs match.</Notice>
        ) : (
          <div className="table-scroll">
            <table aria-busy={jobs.loading}>
              <caption className="visually-hidden">Jobs, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Job</th>
                  {admin ? <th scope="col">Tenant</th> : null}
                  <th scope="col">Kind</th>
                  <th scope="col">Status</th>
                  <th scope="col">Step</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Created</th>
                  <th scope="col">Finished</th>
                </tr>
              </thead>
              <tbody>
                {jobs.data.data.map((job) => (
                  <tr key={job.id} data-job-id={job.id}>
                    <th scope="row">
                      <Link to={`/jobs/${encodeURIComponent(job.id)}`}>
                        <code>{job.id}</code>
                      </Link>
                    </th>
                    {admin ? <td>{job.tenant}</td> : null}
                    <td>{job.pipeline ? `${job.kind} · ${job.pipeline}` : job.kind}</td>
                    <td>
                      <StatusBadge status={job.status} />
                    </td>
                    <td>{job.step ?? '—'}</td>
                    <td>
                      {job.attempts}/{job.max_attempts}
                    </td>
                    <td>
                      <Time seconds={job.created_at} />
                    </td>
                    <td>
                      <Time seconds={job.finished_at} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
      <nav className="pager" aria-label="Pages of jobs">
        <button type="button" disabled={cursors.length === 0} onClick={() => setCursors((list) => list.slice(0, -1))}>
          Previous page
        </button>
        <button
          type="button"
          disabled={!jobs.data?.has_more || !jobs.data.next_cursor}
          onClick={() => jobs.data?.next_cursor && setCursors((list) => [...list, jobs.data!.next_cursor!])}
        >
          Next page
        </button>
      </nav>
    </>
  );
}
