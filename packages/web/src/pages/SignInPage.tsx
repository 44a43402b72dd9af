import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api/client.ts';
import type { User } from '../api/types.ts';
import { useLang } from '../i18n/lang.tsx';

export function SignInPage({ onSignedIn }: { onSignedIn: (user: User) => void }) {
  const { t } = useLang();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await api<{ user: User }>('/auth/login', {
        method: 'POST',
        body: { username, password },
      });
      onSignedIn(r.user);
    } catch (err) {
      setError(
        err instanceof ApiError
          ? err
          : new ApiError({ title: 'Network error', status: 0, detail: String(err) }),
      );
      setBusy(false);
    }
  }

  return (
    <form className="panel sign-in" onSubmit={submit} aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{t.signInTitle}</h1>
      <label>
        {t.username}
        <input
          name="username"
          autoComplete="username"
          required
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
      </label>
      <label>
        {t.password}
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      {error && (
        <div className="alert" role="alert" data-testid="sign-in-error">
          <strong>{t.signInFailed}:</strong> {error.problem.detail ?? error.problem.title}
          {error.problem.errors && error.problem.errors.length > 0 && (
            <ul>
              {error.problem.errors.map((e) => (
                <li key={e.path}>
                  <code>{e.path}</code> {e.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? t.signingIn : t.signIn}
      </button>
    </form>
  );
}
