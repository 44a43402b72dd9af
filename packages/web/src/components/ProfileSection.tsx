import type { ReactNode } from 'react';
import type { ProfileFact } from '../api/types.ts';
import { useResource } from '../api/useResource.ts';
import { useLang } from '../i18n/lang.tsx';
import { labelOf, tagLabels, type Lang } from '../i18n/messages.ts';
import { formatDateTime, formatQuantity } from '../format.ts';
import { LoadError } from './LoadError.tsx';

const bpSummaryKeys = [
  'avg7.sbp',
  'avg7.dbp',
  'avg30.sbp',
  'avg30.dbp',
  'tir30.sbp',
  'tir30.dbp',
  'trend.sbp',
  'trend.dbp',
];
const assessmentKinds = new Set(['stage', 'class', 'flag', 'score']);

/** Picks the facts a care team acts on; segments and non-BP averages stay in the API. */
export function groupFacts(facts: ProfileFact[]) {
  const byKey = new Map(facts.map((f) => [f.key, f]));
  return {
    tags: facts.filter((f) => f.kind === 'tag' && f.value === true),
    assessments: facts.filter(
      (f) =>
        assessmentKinds.has(f.kind) &&
        f.value !== null &&
        f.value !== false &&
        // A score's band repeats what the score's own wording already says.
        !/[._]band$/.test(f.key),
    ),
    bpSummary: bpSummaryKeys.flatMap((k) => byKey.get(k) ?? []),
    latest: facts.filter((f) => f.kind === 'value' && f.key.startsWith('latest.')),
  };
}

function factText(f: ProfileFact, lang: Lang): string {
  if (f.label) return f.label[lang];
  return typeof f.value === 'number' || typeof f.value === 'string'
    ? `${f.key}: ${formatQuantity(f.value, f.unit, lang)}`
    : f.key;
}

export function ProfileSection({ memberId }: { memberId: string }) {
  const { lang, t } = useLang();
  const profile = useResource<{ facts: ProfileFact[] }>(`/members/${memberId}/profile`);
  const groups = profile.data ? groupFacts(profile.data.facts) : null;

  return (
    <section className="panel" aria-labelledby="profile-title" data-testid="profile">
      <h2 id="profile-title">{t.profile}</h2>
      <p className="note">{t.disclaimer}</p>
      {profile.error && <LoadError error={profile.error} onRetry={profile.reload} />}
      {!groups && profile.loading && <p className="muted">{t.loading}</p>}
      {groups && (
        <div className="profile-grid">
          <div>
            <h3>{t.flags}</h3>
            {groups.tags.length === 0 ? (
              <p className="muted">{t.noFlags}</p>
            ) : (
              <div className="facts" data-testid="profile-tags">
                {groups.tags.map((f) => (
                  <FactDetails
                    key={f.key}
                    fact={f}
                    summary={
                      <span className="chip chip-flag" data-testid="profile-tag">
                        {labelOf(tagLabels, f.key.replace(/^tag\./, ''), lang)}
                      </span>
                    }
                  />
                ))}
              </div>
            )}
            <FactGroup title={t.assessments} facts={groups.assessments} />
          </div>
          <div>
            <FactGroup title={t.bpSummary} facts={groups.bpSummary} />
            <FactGroup title={t.latestValues} facts={groups.latest} />
          </div>
        </div>
      )}
    </section>
  );
}

function FactGroup({ title, facts }: { title: string; facts: ProfileFact[] }) {
  const { lang } = useLang();
  if (facts.length === 0) return null;
  return (
    <>
      <h3>{title}</h3>
      <div className="facts">
        {facts.map((f) => (
          <FactDetails key={f.key} fact={f} summary={factText(f, lang)} />
        ))}
      </div>
    </>
  );
}

/** A fact that opens to show why: its rule, the guideline it cites and the readings behind it. */
function FactDetails({ fact, summary }: { fact: ProfileFact; summary: ReactNode }) {
  const { lang, t } = useLang();
  const hover = [fact.label?.[lang], fact.citation].filter(Boolean).join('\n');
  return (
    <details className="fact" data-key={fact.key}>
      <summary title={hover}>{summary}</summary>
      <div className="fact-body">
        {typeof summary !== 'string' && fact.label && <p>{fact.label[lang]}</p>}
        {fact.ruleId && (
          <p className="small">
            <span className="muted">{t.rule}:</span> <code>{fact.ruleId}</code>
          </p>
        )}
        {fact.citation && (
          <p className="small">
            <span className="muted">{t.source}:</span> {fact.citation}
          </p>
        )}
        {fact.evidence.length === 0 ? (
          <p className="muted small">{t.noEvidence}</p>
        ) : (
          <table className="table evidence">
            <caption className="muted small">{t.evidence}</caption>
            <thead>
              <tr>
                <th>{t.evTime}</th>
                <th>{t.evCode}</th>
                <th className="num">{t.evValue}</th>
              </tr>
            </thead>
            <tbody>
              {fact.evidence.map((e, i) => (
                <tr key={`${e.observationId ?? e.conditionId ?? ''}-${i}`}>
                  <td className="nowrap">{formatDateTime(e.effectiveAt, lang)}</td>
                  <td>
                    <code>{e.code}</code>
                  </td>
                  <td className="num">{formatQuantity(e.value, e.unit, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </details>
  );
}
