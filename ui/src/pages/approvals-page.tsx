import { type FormEvent, useState } from 'react';
import type { WireApproval } from '../../../src/wire/workflows';
import { api, type List, query } from '../api';
import { ErrorMessage, Loading, Notice, StatusBadge, Time } from '../components/feedback';
import { Link } from '../router';
import { useSignedIn } from '../session';
import { useApi } from '../use-api';
import { runPath } from './workflow-runs-page';

const statuses = ['pending', 'approved', 'rejected', 'expired', 'cancelled', ''] as const;

/** The tenant's approvals inbox: a workflow step waiting for a human; approve (optionally with edited arguments) or reject. */
export function ApprovalsPage() {
  const session = useSignedIn();
  const [status, setStatus] = useState<string>('pending');
  const approvals = useApi<List<WireApproval>>(session.kind === 'key' ? `/v1/approvals${query({ status, limit: 50 })}` : undefined);
  if (session.kind !== 'key') {
    return (
      <>
        <h1 tabIndex={-1}>Approvals</h1>
        <Notice>Approvals belong to a tenant's workflow runs: log in with one of its virtual keys to decide them.</Notice>
      </>
    );
  }
  return (
    <>
      <h1 tabIndex={-1}>Approvals</h1>
      <div className="filters">
        <label>
          Status
          <select value={status} onChange={(event) => setStatus(event.target.value)}>
            {statuses.map((value) => (
              <option key={value} value={value}>
                {value || 'any'}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="button-quiet" onClick={approvals.reload}>
          Refresh
        </button>
      </div>
      <ErrorMessage error={approvals.error} />
      {approvals.loading && !approvals.data ? <Loading /> : null}
      {approvals.data?.data.length === 0 ? <Notice>Nothing waits for a decision.</Notice> : null}
      <ul className="cards">
        {approvals.data?.data.map((approval) => (
          <li key={approval.id}>
            <ApprovalCard approval={approval} by={session.key?.name ?? 'dashboard'} onDecided={approvals.reload} />
          </li>
        ))}
      </ul>
    </>
  );
}

function ApprovalCard({ approval, by, onDecided }: { approval: WireApproval; by: string; onDecided: () => void }) {
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const headingId = `approval-${approval.id}`;
  const decide = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const decision = submitter?.value === 'reject' ? 'reject' : 'approve';
    const data = new FormData(event.currentTarget);
    const reason = String(data.get('reason') ?? '').trim();
    const argsText = String(data.get('args') ?? '').trim();
    setError(undefined);
    let args: unknown;
    if (decision === 'approve' && argsText !== '' && argsText !== JSON.stringify(approval.args, null, 2)) {
      try {
        args = JSON.parse(argsText);
      } catch {
        setError(new Error('The edited arguments are not valid JSON.'));
        return;
      }
    }
    setBusy(true);
    try {
      await api('POST', `/v1/approvals/${encodeURIComponent(approval.id)}/${decision}`, { by, ...(reason ? { reason } : {}), ...(args === undefined ? {} : { args }) });
      onDecided();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <article className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {approval.workflow}: <code>{approval.tool}</code> <StatusBadge status={approval.status} />
      </h2>
      <p className="subtle">
        Run{' '}
        <Link to={runPath(approval.run_id)} aria-label={`Run ${approval.run_id}: its journal`}>
          <code>{approval.run_id}</code>
        </Link>
        , state {approval.state}, asked <Time seconds={approval.created_at} />
        {approval.expires_at ? (
          <>
            , expires <Time seconds={approval.expires_at} />
          </>
        ) : null}
      </p>
      {approval.status === 'pending' ? (
        <form onSubmit={decide} className="stack">
          <label>
            Arguments (edit before approving if needed)
            <textarea name="args" rows={6} defaultValue={JSON.stringify(approval.args, null, 2)} spellCheck={false} />
          </label>
          <label>
            Reason
            <input name="reason" maxLength={2000} />
          </label>
          <div className="row">
            <button type="submit" value="approve" disabled={busy}>
              Approve
            </button>
            <button type="submit" value="reject" className="button-danger" disabled={busy}>
              Reject
            </button>
          </div>
        </form>
      ) : (
        <>
          <pre>{JSON.stringify(approval.edited_args ?? approval.args, null, 2)}</pre>
          <p>
            Decided by {approval.decided_by ?? '—'} <Time seconds={approval.decided_at} />
            {approval.reason ? ` · ${approval.reason}` : ''}
          </p>
        </>
      )}
      <ErrorMessage error={error} />
    </article>
  );
}
