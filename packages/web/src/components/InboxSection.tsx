import { useState } from 'react';
import { api, ApiError } from '../api/client.ts';
import type { Inbox, InboxMessage } from '../api/types.ts';
import { useResource } from '../api/useResource.ts';
import { useLang } from '../i18n/lang.tsx';
import { labelOf, messageStateLabels, priorityLabels } from '../i18n/messages.ts';
import { formatDateTime } from '../format.ts';
import { LoadError } from './LoadError.tsx';

type Action = 'opened' | 'acted';

/** The in-app inbox. Only the member themself records opens and actions (the API enforces it too). */
export function InboxSection({ memberId, canAct }: { memberId: string; canAct: boolean }) {
  const { lang, t } = useLang();
  const inbox = useResource<Inbox>(`/members/${memberId}/inbox`);
  const [busy, setBusy] = useState<string | null>(null);
  const [actionError, setActionError] = useState<ApiError | null>(null);

  async function record(message: InboxMessage, action: Action) {
    setBusy(`${message.id}:${action}`);
    setActionError(null);
    try {
      await api(`/members/${memberId}/inbox/${message.id}/${action}`, { method: 'POST' });
      inbox.reload();
    } catch (err) {
      setActionError(
        err instanceof ApiError
          ? err
          : new ApiError({ title: 'Network error', status: 0, detail: String(err) }),
      );
    } finally {
      setBusy(null);
    }
  }

  return (
    <section className="panel" aria-labelledby="inbox-title" data-testid="inbox">
      <div className="panel-head">
        <h2 id="inbox-title">{t.inbox}</h2>
        {inbox.data && inbox.data.unread > 0 && (
          <span className="badge badge-alert" data-testid="inbox-unread">
            {t.unread(inbox.data.unread)}
          </span>
        )}
        <button type="button" className="link-button push-right" onClick={inbox.reload}>
          {t.refresh}
        </button>
      </div>
      {inbox.error && <LoadError error={inbox.error} onRetry={inbox.reload} />}
      {actionError && (
        <div className="alert" role="alert">
          <strong>{t.actionFailed}:</strong> {actionError.problem.detail}
        </div>
      )}
      {!inbox.data && inbox.loading && <p className="muted">{t.loading}</p>}
      {inbox.data && inbox.data.messages.length === 0 && (
        <p className="muted" data-testid="inbox-empty">
          {t.inboxEmpty}
        </p>
      )}
      {inbox.data && inbox.data.messages.length > 0 && (
        <ul className="messages">
          {inbox.data.messages.map((m) => {
            const unread = m.openedAt === null;
            return (
              <li
                key={m.id}
                className={`message${unread ? ' unread' : ''} priority-${m.priority}`}
                data-testid="message"
                data-state={m.state}
              >
                <div className="message-meta">
                  <span className={`chip priority priority-${m.priority}`}>
                    {labelOf(priorityLabels, m.priority, lang)}
                  </span>
                  <span className="chip state" data-testid="message-state">
                    {labelOf(messageStateLabels, m.state, lang)}
                  </span>
                  {m.sentAt && (
                    <span className="muted small">{formatDateTime(m.sentAt, lang)}</span>
                  )}
                </div>
                <p className="message-body">{m.body[lang]}</p>
                {canAct && (unread || m.actedAt === null) && (
                  <div className="message-actions">
                    {unread && (
                      <button
                        type="button"
                        data-testid="message-open"
                        disabled={busy !== null}
                        onClick={() => void record(m, 'opened')}
                      >
                        {t.markRead}
                      </button>
                    )}
                    {m.actedAt === null && (
                      <button
                        type="button"
                        className="primary"
                        data-testid="message-act"
                        disabled={busy !== null}
                        onClick={() => void record(m, 'acted')}
                      >
                        {t.markDone}
                      </button>
                    )}
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
