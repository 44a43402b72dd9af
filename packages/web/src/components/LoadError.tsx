import type { ApiError } from '../api/client.ts';
import { useLang } from '../i18n/lang.tsx';

export function LoadError({ error, onRetry }: { error: ApiError; onRetry: () => void }) {
  const { t } = useLang();
  return (
    <div className="alert" role="alert">
      <strong>{t.loadFailed}:</strong> {error.problem.detail ?? error.problem.title}{' '}
      <button type="button" className="link-button" onClick={onRetry}>
        {t.retry}
      </button>
    </div>
  );
}
