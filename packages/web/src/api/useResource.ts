import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from './client.ts';
import { useSession } from '../session.tsx';

export interface Resource<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads one API path and reloads it when the path changes; a stale answer (the path changed while it
 * was in flight) is dropped. A 401 means the session ended: back to sign-in.
 */
export function useResource<T>(path: string | null): Resource<T> {
  const { sessionEnded } = useSession();
  const [state, setState] = useState<{ data: T | null; error: ApiError | null; loading: boolean }>({
    data: null,
    error: null,
    loading: path !== null,
  });
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  useEffect(() => {
    if (path === null) return;
    const ctl = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    api<T>(path, { signal: ctl.signal }).then(
      (data) => setState({ data, error: null, loading: false }),
      (err: unknown) => {
        if (ctl.signal.aborted) return;
        if (err instanceof ApiError && err.status === 401) sessionEnded();
        const error =
          err instanceof ApiError
            ? err
            : new ApiError({ title: 'Network error', status: 0, detail: String(err) });
        setState({ data: null, error, loading: false });
      },
    );
    return () => ctl.abort();
  }, [path, generation, sessionEnded]);

  return { ...state, reload };
}
