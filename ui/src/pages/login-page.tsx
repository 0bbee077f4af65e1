import { type FormEvent, useState } from 'react';
import { ErrorMessage } from '../components/feedback';
import { useSession } from '../session';

/** Log in with the admin token (every tenant) or a virtual key (its own tenant). */
export function LoginPage() {
  const { login } = useSession();
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await login(token.trim());
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  };
  return (
    <main className="login" id="main">
      <h1>Breakwater</h1>
      <p>Log in with the admin token to see every tenant, or with a virtual key to see its own tenant.</p>
      <form onSubmit={submit} className="stack">
        <label htmlFor="token">Admin token or virtual key</label>
        <input id="token" name="token" type="password" autoComplete="current-password" required value={token} onChange={(event) => setToken(event.target.value)} />
        <button type="submit" disabled={busy || token.trim() === ''}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
      <ErrorMessage error={error} />
      <p className="hint">The token is exchanged for a session cookie the page itself cannot read; it is not stored in the browser.</p>
    </main>
  );
}
