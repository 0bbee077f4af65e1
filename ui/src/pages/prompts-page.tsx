import { type FormEvent, lazy, Suspense, useState } from 'react';
import type { WirePromptAuditEntry, WirePromptSummary, WirePromptVersion } from '../../../src/wire/prompts';
import { api, type List, query } from '../api';
import { ErrorMessage, Loading, Notice, Time } from '../components/feedback';
import { Link, navigate } from '../router';
import { useSignedIn } from '../session';
import { useApi } from '../use-api';

// The diff library is loaded with the first diff shown, not with the dashboard.
const VersionDiff = lazy(() => import('./prompt-diff'));

/** GET /v1/prompts/:name */
interface PromptDetail {
  object: 'prompt';
  name: string;
  scope: string;
  latest_version: number;
  labels: Record<string, { version: number; moved_by: string; moved_at: number }>;
  versions: WirePromptVersion[];
}

/** The `tenant` query of the page's URL: the admin reads a tenant's own prompts with it. */
function tenantParameter(): string | undefined {
  return new URLSearchParams(window.location.search).get('tenant') || undefined;
}

function detailPath(name: string, tenant: string | undefined): string {
  return `/prompts/${encodeURIComponent(name)}${query({ tenant })}`;
}

/**
 * The prompt registry: the prompts of a scope (the admin: shared or one tenant's; a key: its
 * tenant's own or the shared ones), each opening its versions, a diff and its labels.
 */
export function PromptsPage() {
  const session = useSignedIn();
  const [scope, setScope] = useState<{ kind: 'shared' | 'own' | 'tenant'; tenant: string }>({ kind: session.kind === 'key' ? 'own' : 'shared', tenant: '' });
  const path =
    session.kind === 'key'
      ? `/v1/prompts${query({ scope: scope.kind === 'shared' ? 'shared' : undefined })}`
      : `/v1/prompts${query({ tenant: scope.kind === 'tenant' ? scope.tenant : undefined })}`;
  const prompts = useApi<List<WirePromptSummary>>(scope.kind === 'tenant' && scope.tenant === '' ? undefined : path);
  const tenantForLinks = session.kind === 'admin' && scope.kind === 'tenant' ? scope.tenant : undefined;

  const choose = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const kind = String(data.get('scope') ?? 'shared') as 'shared' | 'own' | 'tenant';
    setScope({ kind, tenant: String(data.get('tenant') ?? '').trim() });
  };

  return (
    <>
      <h1 tabIndex={-1}>Prompts</h1>
      <form className="filters" onSubmit={choose} aria-label="Choose the prompts' scope">
        <label>
          Scope
          <select name="scope" defaultValue={scope.kind}>
            {session.kind === 'key' ? (
              <>
                <option value="own">Tenant {session.key?.tenant}</option>
                <option value="shared">Shared</option>
              </>
            ) : (
              <>
                <option value="shared">Shared</option>
                <option value="tenant">One tenant's</option>
              </>
            )}
          </select>
        </label>
        {session.kind === 'admin' ? (
          <label>
            Tenant
            <input name="tenant" defaultValue={scope.tenant} />
          </label>
        ) : null}
        <button type="submit">Show</button>
        <button type="button" className="button-quiet" onClick={prompts.reload}>
          Refresh
        </button>
      </form>
      <ErrorMessage error={prompts.error} />
      {prompts.loading && !prompts.data ? <Loading /> : null}
      {prompts.data ? (
        prompts.data.data.length === 0 ? (
          <Notice>No prompts in this scope. Push one with POST /v1/prompts/:name/versions or breakwater prompts push.</Notice>
        ) : (
          <div className="table-scroll">
            <table aria-busy={prompts.loading} data-testid="prompts">
              <caption className="visually-hidden">Prompts, by name</caption>
              <thead>
                <tr>
                  <th scope="col">Prompt</th>
                  <th scope="col">Scope</th>
                  <th scope="col">Latest version</th>
                  <th scope="col">Labels</th>
                  <th scope="col">Updated</th>
                </tr>
              </thead>
              <tbody>
                {prompts.data.data.map((prompt) => (
                  <tr key={`${prompt.scope}/${prompt.name}`}>
                    <th scope="row">
                      <Link to={detailPath(prompt.name, tenantForLinks)}>
                        <code>{prompt.name}</code>
                      </Link>
                    </th>
                    <td>{prompt.scope}</td>
                    <td>v{prompt.latest_version}</td>
                    <td>
                      {Object.entries(prompt.labels)
                        .map(([label, version]) => `${label} → v${version}`)
                        .join(', ') || '—'}
                    </td>
                    <td>
                      <Time seconds={Math.floor(prompt.updated_at / 1000)} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
    </>
  );
}

/** One prompt: its labels (move, roll back), its versions, a diff between two, and the audit log. */
export function PromptDetailPage({ name }: { name: string }) {
  const session = useSignedIn();
  const tenant = session.kind === 'admin' ? tenantParameter() : undefined;
  const prompt = useApi<PromptDetail>(`/v1/prompts/${encodeURIComponent(name)}${query({ tenant })}`);
  const audit = useApi<List<WirePromptAuditEntry>>(`/v1/prompts/${encodeURIComponent(name)}/audit${query({ tenant, limit: 20 })}`);
  const [actionError, setActionError] = useState<unknown>();
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const [compare, setCompare] = useState<{ from?: number; to?: number }>({});

  const data = prompt.data;
  // A key moves the labels of its tenant's own prompts; a shared prompt's labels are the admin's.
  const canMove = session.kind === 'admin' || (data !== undefined && data.scope !== 'shared');
  const versions = data?.versions ?? [];
  const from = versions.find((version) => version.version === (compare.from ?? versions[1]?.version ?? versions[0]?.version));
  const to = versions.find((version) => version.version === (compare.to ?? versions[0]?.version));

  const change = async (description: string, method: string, path: string, body: Record<string, unknown>) => {
    setActionError(undefined);
    setStatus('');
    setBusy(true);
    try {
      const entry = await api<WirePromptAuditEntry>(method, path, tenant ? { ...body, tenant } : body);
      setStatus(`${description}: ${entry.label} now points at v${entry.to_version} (was ${entry.from_version === null ? 'unset' : `v${entry.from_version}`}).`);
      prompt.reload();
      audit.reload();
    } catch (caught) {
      setActionError(caught);
    } finally {
      setBusy(false);
    }
  };

  const move = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const label = String(form.get('label') ?? '').trim();
    const version = Number(form.get('version'));
    if (!label) {
      setActionError(new Error('Name the label to move.'));
      return;
    }
    void change('Moved', 'PUT', `/v1/prompts/${encodeURIComponent(name)}/labels/${encodeURIComponent(label)}`, { version });
  };

  return (
    <>
      <p>
        <Link to={`/prompts`}>← Prompts</Link>
      </p>
      <h1 tabIndex={-1}>
        Prompt <code>{name}</code>
      </h1>
      <ErrorMessage error={prompt.error} />
      {prompt.loading && !data ? <Loading /> : null}
      {data ? (
        <>
          <dl className="facts">
            <dt>Scope</dt>
            <dd data-testid="prompt-scope">{data.scope}</dd>
            <dt>Latest version</dt>
            <dd>v{data.latest_version}</dd>
          </dl>

          <section className="panel" aria-labelledby="labels-heading">
            <h2 id="labels-heading">Labels</h2>
            {Object.keys(data.labels).length === 0 ? <Notice>No labels yet.</Notice> : null}
            {Object.keys(data.labels).length > 0 ? (
              <div className="table-scroll">
                <table data-testid="prompt-labels">
                  <caption className="visually-hidden">Labels and the version each points at</caption>
                  <thead>
                    <tr>
                      <th scope="col">Label</th>
                      <th scope="col">Version</th>
                      <th scope="col">Moved by</th>
                      <th scope="col">Moved</th>
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {Object.entries(data.labels).map(([label, info]) => (
                      <tr key={label} data-label={label}>
                        <th scope="row">{label}</th>
                        <td data-testid={`label-version-${label}`}>v{info.version}</td>
                        <td>{info.moved_by}</td>
                        <td>
                          <Time seconds={Math.floor(info.moved_at / 1000)} />
                        </td>
                        <td>
                          {canMove ? (
                            <button
                              type="button"
                              className="button-quiet"
                              disabled={busy}
                              onClick={() => void change('Rolled back', 'POST', `/v1/prompts/${encodeURIComponent(name)}/labels/${encodeURIComponent(label)}/rollback`, {})}
                            >
                              Roll back {label}
                            </button>
                          ) : null}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : null}
            {canMove ? (
              <form className="filters" onSubmit={move} aria-label="Move a label">
                <label>
                  Label
                  <input name="label" list="prompt-label-names" defaultValue="production" required />
                </label>
                <datalist id="prompt-label-names">
                  {Object.keys(data.labels).map((label) => (
                    <option key={label} value={label} />
                  ))}
                </datalist>
                <label>
                  To version
                  <select name="version" defaultValue={data.latest_version}>
                    {versions.map((version) => (
                      <option key={version.version} value={version.version}>
                        v{version.version}
                      </option>
                    ))}
                  </select>
                </label>
                <button type="submit" disabled={busy}>
                  Move label
                </button>
              </form>
            ) : (
              <p className="hint">A shared prompt's labels are moved with the admin token.</p>
            )}
            {session.kind === 'key' && canMove ? <p className="hint">Protected labels (production by default) are moved with the admin token.</p> : null}
            {status ? (
              <p role="status" className="alert alert-info">
                {status}
              </p>
            ) : null}
            <ErrorMessage error={actionError} />
          </section>

          <section className="panel" aria-labelledby="versions-heading">
            <h2 id="versions-heading">Versions</h2>
            <div className="table-scroll">
              <table data-testid="prompt-versions">
                <caption className="visually-hidden">Versions, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Version</th>
                    <th scope="col">Labels</th>
                    <th scope="col">Model</th>
                    <th scope="col">Description</th>
                    <th scope="col">Pushed by</th>
                    <th scope="col">Pushed</th>
                    <th scope="col">SHA-256</th>
                  </tr>
                </thead>
                <tbody>
                  {versions.map((version) => (
                    <tr key={version.version} data-version={version.version}>
                      <th scope="row">v{version.version}</th>
                      <td>{version.labels.join(', ') || '—'}</td>
                      <td>{version.model ?? '—'}</td>
                      <td className="wrap">{version.description || '—'}</td>
                      <td>{version.created_by}</td>
                      <td>
                        <Time seconds={version.created_at} />
                      </td>
                      <td>
                        <code>{version.sha256.slice(0, 12)}</code>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>

          <section className="panel" aria-labelledby="diff-heading">
            <h2 id="diff-heading">Compare versions</h2>
            <div className="filters">
              <label>
                From
                <select value={from?.version ?? ''} onChange={(event) => setCompare((value) => ({ ...value, from: Number(event.target.value) }))}>
                  {versions.map((version) => (
                    <option key={version.version} value={version.version}>
                      v{version.version}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                To
                <select value={to?.version ?? ''} onChange={(event) => setCompare((value) => ({ ...value, to: Number(event.target.value) }))}>
                  {versions.map((version) => (
                    <option key={version.version} value={version.version}>
                      v{version.version}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            {from && to ? (
              <Suspense fallback={<Loading label="Loading the diff…" />}>
                <VersionDiff from={from} to={to} />
              </Suspense>
            ) : null}
          </section>

          <section className="panel" aria-labelledby="audit-heading">
            <h2 id="audit-heading">Audit log</h2>
            <ErrorMessage error={audit.error} />
            <ol className="timeline" data-testid="prompt-audit">
              {audit.data?.data.map((entry) => (
                <li key={`${entry.at}-${entry.action}-${entry.label ?? ''}-${entry.to_version}`}>
                  <Time seconds={Math.floor(entry.at / 1000)} /> {entry.actor}: {entry.action}
                  {entry.label ? ` ${entry.label}` : ''} {entry.from_version === null ? '' : `v${entry.from_version} → `}v{entry.to_version}
                </li>
              ))}
            </ol>
          </section>
        </>
      ) : null}
      {prompt.error ? (
        <p>
          <button type="button" className="button-quiet" onClick={() => navigate('/prompts')}>
            Back to the prompts
          </button>
        </p>
      ) : null}
    </>
  );
}
