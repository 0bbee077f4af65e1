import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from './api';

/** GETs a path whenever it changes; `reload` asks again. Only the latest request's answer is kept. */
export function useApi<Result>(path: string | undefined): { data: Result | undefined; error: unknown; loading: boolean; reload: () => void } {
  const [state, setState] = useState<{ data: Result | undefined; error: unknown; loading: boolean }>({ data: undefined, error: undefined, loading: path !== undefined });
  const latest = useRef(0);
  const load = useCallback(() => {
    if (path === undefined) return;
    const ticket = ++latest.current;
    setState((previous) => ({ ...previous, loading: true }));
    api<Result>('GET', path).then(
      (data) => ticket === latest.current && setState({ data, error: undefined, loading: false }),
      (error: unknown) => ticket === latest.current && setState({ data: undefined, error, loading: false }),
    );
  }, [path]);
  useEffect(() => {
    load();
    return () => {
      latest.current++;
    };
  }, [load]);
  return { ...state, reload: load };
}
