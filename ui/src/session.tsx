import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import { api, onUnauthorized, setCsrfToken } from './api';

/** The public view of a virtual key (GET /v1/admin/keys and the session answer). */
export interface KeyView {
  id: string;
  name: string;
  prefix: string;
  tenant: string;
  allowed_models: string[] | null;
  rpm: number | null;
  tpm: number | null;
  budget: { usd: number; period: string } | null;
  tags: Record<string, string>;
  pii_policy: string | null;
  created_at: number;
  revoked_at: number | null;
}

export type SessionInfo = { authenticated: false } | { authenticated: true; kind: 'admin' | 'key'; key: KeyView | null; csrf_token: string; expires_at: number };

interface SessionValue {
  session: SessionInfo | undefined;
  login(token: string): Promise<void>;
  logout(): Promise<void>;
}

const SessionContext = createContext<SessionValue | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionInfo | undefined>(undefined);
  const adopt = useCallback((info: SessionInfo) => {
    setCsrfToken(info.authenticated ? info.csrf_token : undefined);
    setSession(info);
  }, []);

  useEffect(() => {
    api<SessionInfo>('GET', '/ui/api/session').then(adopt, () => adopt({ authenticated: false }));
    return onUnauthorized(() => adopt({ authenticated: false }));
  }, [adopt]);

  const login = useCallback(async (token: string) => adopt(await api<SessionInfo>('POST', '/ui/api/session', { token })), [adopt]);
  const logout = useCallback(async () => {
    await api('DELETE', '/ui/api/session');
    adopt({ authenticated: false });
  }, [adopt]);

  return <SessionContext.Provider value={{ session, login, logout }}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in session (pages render only inside one). */
export function useSignedIn(): Extract<SessionInfo, { authenticated: true }> {
  const { session } = useSession();
  if (!session?.authenticated) throw new Error('useSignedIn outside a session');
  return session;
}
