import { useMemo, useState } from 'react';
import type { Observation } from '../api/types.ts';
import { useResource } from '../api/useResource.ts';
import { pairBpReadings } from '../bpReadings.ts';
import { useLang } from '../i18n/lang.tsx';
import { labelOf, sourceKindLabels } from '../i18n/messages.ts';
import { formatDateTime } from '../format.ts';
import { BpChart } from './BpChart.tsx';
import { LoadError } from './LoadError.tsx';

const shortList = 10;

export function BloodPressureSection({ memberId }: { memberId: string }) {
  const { lang, t } = useLang();
  const sbp = useResource<{ observations: Observation[] }>(
    `/members/${memberId}/observations?indicator=sbp&limit=500`,
  );
  const dbp = useResource<{ observations: Observation[] }>(
    `/members/${memberId}/observations?indicator=dbp&limit=500`,
  );
  const [showAll, setShowAll] = useState(false);
  const readings = useMemo(
    () =>
      sbp.data && dbp.data ? pairBpReadings(sbp.data.observations, dbp.data.observations) : null,
    [sbp.data, dbp.data],
  );
  const newestFirst = useMemo(() => (readings ? [...readings].reverse() : []), [readings]);
  const shown = showAll ? newestFirst : newestFirst.slice(0, shortList);
  const error = sbp.error ?? dbp.error;

  return (
    <section className="panel" aria-labelledby="bp-title" data-testid="bp-section">
      <h2 id="bp-title">{t.bpReadings}</h2>
      {error && (
        <LoadError
          error={error}
          onRetry={() => {
            sbp.reload();
            dbp.reload();
          }}
        />
      )}
      {!readings && !error && <p className="muted">{t.loading}</p>}
      {readings && readings.length === 0 && (
        <p className="muted" data-testid="bp-empty">
          {t.noReadings}
        </p>
      )}
      {readings && readings.length > 0 && (
        <>
          <BpChart readings={readings} />
          <div className="table-wrap">
            <table className="table readings" data-testid="bp-table">
              <thead>
                <tr>
                  <th>{t.time}</th>
                  <th className="num">{t.systolic} (mmHg)</th>
                  <th className="num">{t.diastolic} (mmHg)</th>
                  <th>{t.readingSource}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((r) => (
                  <tr key={r.id} data-testid="bp-row">
                    <td className="nowrap">{formatDateTime(r.at, lang)}</td>
                    <td className="num">{r.sbp}</td>
                    <td className="num">{r.dbp}</td>
                    <td>{labelOf(sourceKindLabels, r.sourceKind, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {newestFirst.length > shortList && (
            <button type="button" className="link-button" onClick={() => setShowAll(!showAll)}>
              {showAll ? t.showFewer : t.showAll(newestFirst.length)}
            </button>
          )}
        </>
      )}
    </section>
  );
}
