import { type FormEvent, useState } from 'react';
import { api, type List } from '../api';
import { ErrorMessage, Loading, StatusBadge, Time } from '../components/feedback';
import { type KeyView, useSignedIn } from '../session';
import { useApi } from '../use-api';

const piiPolicies = ['', 'off', 'log', 'redact', 'mask', 'block'] as const;

function limits(key: KeyView): string {
  const parts = [key.rpm ? `${key.rpm} req/min` : null, key.tpm ? `${key.tpm} tokens/min` : null].filter(Boolean);
  return parts.length ? parts.join(', ') : 'none';
}

function budget(key: KeyView): string {
  return key.budget ? `$${key.budget.usd} per ${key.budget.period}` : 'none';
}

/** Virtual keys: the admin creates (the secret is shown once), reads and revokes them; a key sees itself. */
export function KeysPage() {
  const session = useSignedIn();
  if (session.kind === 'key' && session.key) {
    const key = session.key;
    return (
      <>
        <h1 tabIndex={-1}>Keys</h1>
        <p>You are logged in with one virtual key; keys are created and revoked with the admin token.</p>
        <dl className="facts">
          <dt>Name</dt>
          <dd>{key.name}</dd>
          <dt>Prefix</dt>
          <dd>
            <code>{key.prefix}</code>
          </dd>
          <dt>Tenant</dt>
          <dd>{key.tenant}</dd>
          <dt>Limits</dt>
          <dd>{limits(key)}</dd>
          <dt>Budget</dt>
          <dd>{budget(key)}</dd>
          <dt>PII policy</dt>
          <dd>{key.pii_policy ?? 'the model’s'}</dd>
          <dt>Models</dt>
          <dd>{key.allowed_models?.join(', ') ?? 'all'}</dd>
        </dl>
      </>
    );
  }
  return <AdminKeys />;
}

function AdminKeys() {
  const keys = useApi<List<KeyView>>('/v1/admin/keys');
  const [created, setCreated] = useState<(KeyView & { key: string }) | undefined>();
  const [actionError, setActionError] = useState<unknown>();

  const revoke = async (key: KeyView) => {
    if (!window.confirm(`Revoke key “${key.name}” (${key.prefix}…)? Applications using it stop working at once.`)) return;
    setActionError(undefined);
    try {
      await api('DELETE', `/v1/admin/keys/${encodeURIComponent(key.id)}`);
      keys.reload();
    } catch (error) {
      setActionError(error);
    }
  };

  return (
    <>
      <h1 tabIndex={-1}>Keys</h1>
      <CreateKeyForm
        onCreated={(key) => {
          setCreated(key);
          keys.reload();
        }}
      />
      {created ? <NewSecret created={created} onDone={() => setCreated(undefined)} /> : null}
      <ErrorMessage error={actionError} />
      <h2>All keys</h2>
      <ErrorMessage error={keys.error} />
      {keys.loading && !keys.data ? <Loading /> : null}
      {keys.data ? (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">Virtual keys</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Prefix</th>
                <th scope="col">Tenant</th>
                <th scope="col">Limits</th>
                <th scope="col">Budget</th>
                <th scope="col">PII</th>
                <th scope="col">Created</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.data.data.map((key) => (
                <tr key={key.id}>
                  <th scope="row">{key.name}</th>
                  <td>
                    <code>{key.prefix}</code>
                  </td>
                  <td>{key.tenant}</td>
                  <td>{limits(key)}</td>
                  <td>{budget(key)}</td>
                  <td>{key.pii_policy ?? 'model'}</td>
                  <td>
                    <Time seconds={key.created_at} />
                  </td>
                  <td>
                    <StatusBadge status={key.revoked_at ? 'revoked' : 'active'} />
                  </td>
                  <td>
                    {key.revoked_at ? null : (
                      <button type="button" className="button-danger" onClick={() => void revoke(key)} aria-label={`Revoke ${key.name}`}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}

/** The new key's secret, once: the server keeps only its hash. */
function NewSecret({ created, onDone }: { created: KeyView & { key: string }; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <section className="secret-once" aria-labelledby="secret-heading">
      <h2 id="secret-heading">Key “{created.name}” created</h2>
      <p>Copy the secret now: it is shown only this once and cannot be read again.</p>
      <p>
        <output className="secret" data-testid="new-secret">
          {created.key}
        </output>
      </p>
      <div className="row">
        <button
          type="button"
          onClick={() =>
            void navigator.clipboard?.writeText(created.key).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {copied ? 'Copied' : 'Copy secret'}
        </button>
        <button type="button" className="button-quiet" onClick={onDone}>
          I have stored it
        </button>
      </div>
    </section>
  );
}

function numberOrNull(value: string): number | null {
  return value.trim() === '' ? null : Number(value);
}

function CreateKeyForm({ onCreated }: { onCreated: (key: KeyView & { key: string }) => void }) {
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? '').trim();
    const budgetUsd = numberOrNull(text('budget_usd'));
    const models = text('allowed_models');
    const body = {
      name: text('name'),
      ...(text('tenant') ? { tenant: text('tenant') } : {}),
      rpm: numberOrNull(text('rpm')),
      tpm: numberOrNull(text('tpm')),
      budget_usd: budgetUsd,
      ...(budgetUsd ? { budget_period: text('budget_period') } : {}),
      allowed_models: models ? models.split(',').map((model) => model.trim()) : null,
      pii_policy: text('pii_policy') || null,
    };
    setBusy(true);
    setError(undefined);
    try {
      onCreated(await api<KeyView & { key: string }>('POST', '/v1/admin/keys', body));
      form.reset();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <details className="panel" open>
      <summary>Create a key</summary>
      <form onSubmit={submit} className="form-grid">
        <label>
          Name
          <input name="name" required maxLength={200} />
        </label>
        <label>
          Tenant
          <input name="tenant" maxLength={200} placeholder="default" />
        </label>
        <label>
          Requests per minute
          <input name="rpm" type="number" min={1} step={1} />
        </label>
        <label>
          Tokens per minute
          <input name="tpm" type="number" min={1} step={1} />
        </label>
        <label>
          Budget (USD)
          <input name="budget_usd" type="number" min={0.01} step={0.01} />
        </label>
        <label>
          Budget period
          <select name="budget_period" defaultValue="month">
            <option value="day">day</option>
            <option value="month">month</option>
            <option value="total">total</option>
          </select>
        </label>
        <label>
          Allowed models (comma-separated; empty: all)
          <input name="allowed_models" />
        </label>
        <label>
          PII policy
          <select name="pii_policy" defaultValue="">
            {piiPolicies.map((policy) => (
              <option key={policy} value={policy}>
                {policy || 'the model’s'}
              </option>
            ))}
          </select>
        </label>
        <div className="form-actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Creating…' : 'Create key'}
          </button>
        </div>
      </form>
      <ErrorMessage error={error} />
    </details>
  );
}
