import { useEffect, useState } from 'react';
import { query } from '../api/client.ts';
import type { MemberList } from '../api/types.ts';
import { useResource } from '../api/useResource.ts';
import { useLang } from '../i18n/lang.tsx';
import { bpClassLabels, labelOf, tagLabels } from '../i18n/messages.ts';
import { formatDateTime } from '../format.ts';
import { hrefFor } from '../route.ts';
import { LoadError } from '../components/LoadError.tsx';

const pageSize = 50;

/** The caseload in the order the API ranks it (open care tasks first). */
export function MemberListPage({ title }: { title: 'caseload' | 'all' }) {
  const { lang, t } = useLang();
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  const [offset, setOffset] = useState(0);

  // Ask the server once typing pauses, not on every key.
  useEffect(() => {
    const timer = setTimeout(() => {
      setQ(search.trim());
      setOffset(0);
    }, 250);
    return () => clearTimeout(timer);
  }, [search]);

  const list = useResource<MemberList>(`/members${query({ limit: pageSize, offset, q })}`);
  const total = list.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.floor(offset / pageSize) + 1;

  return (
    <section className="panel" aria-labelledby="list-title">
      <div className="panel-head">
        <h1 id="list-title">{title === 'all' ? t.allMembers : t.caseload}</h1>
        {list.data && <span className="muted">{t.membersTotal(total)}</span>}
      </div>
      <input
        type="search"
        className="search"
        placeholder={t.searchPlaceholder}
        aria-label={t.searchLabel}
        value={search}
        onChange={(e) => setSearch(e.target.value)}
      />
      {list.error && <LoadError error={list.error} onRetry={list.reload} />}
      {!list.data && list.loading && <p className="muted">{t.loading}</p>}
      {list.data && list.data.members.length === 0 && (
        <p className="muted" data-testid="members-empty">
          {t.noMembers}
        </p>
      )}
      {list.data && list.data.members.length > 0 && (
        <div className="table-wrap">
          <table className="table members" aria-busy={list.loading}>
            <thead>
              <tr>
                <th>{t.colName}</th>
                <th>{t.colFlags}</th>
                <th>{t.colBpClass}</th>
                <th>{t.colLastReading}</th>
                <th className="num">{t.colOpenTasks}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.members.map((m) => (
                <tr key={m.id} data-testid="member-row">
                  <td>
                    <a href={hrefFor.member(m.id)} className="member-name">
                      {m.name}
                    </a>
                    <div className="muted small">{m.externalRef}</div>
                  </td>
                  <td>
                    <div className="chips">
                      {m.tags.map((tag) => (
                        <span key={tag} className="chip chip-flag">
                          {labelOf(tagLabels, tag, lang)}
                        </span>
                      ))}
                    </div>
                  </td>
                  <td>
                    {m.bpClass ? (
                      <span className={`chip bp bp-${m.bpClass}`}>
                        {labelOf(bpClassLabels, m.bpClass, lang)}
                      </span>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td className="nowrap">
                    {m.lastReadingAt ? formatDateTime(m.lastReadingAt, lang) : '—'}
                  </td>
                  <td className="num">
                    {m.openCareTasks > 0 ? (
                      <span className="badge badge-alert">{m.openCareTasks}</span>
                    ) : (
                      <span className="muted">0</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pages > 1 && (
        <nav className="pager">
          <button
            type="button"
            disabled={offset === 0}
            onClick={() => setOffset(Math.max(0, offset - pageSize))}
          >
            {t.previous}
          </button>
          <span className="muted">{t.pageOf(page, pages)}</span>
          <button
            type="button"
            disabled={page >= pages}
            onClick={() => setOffset(offset + pageSize)}
          >
            {t.next}
          </button>
        </nav>
      )}
    </section>
  );
}
