import type { Member } from '../api/types.ts';
import { useResource } from '../api/useResource.ts';
import { useLang } from '../i18n/lang.tsx';
import { genderLabels, labelOf } from '../i18n/messages.ts';
import { ageInYears } from '../format.ts';
import { hrefFor } from '../route.ts';
import { LoadError } from '../components/LoadError.tsx';
import { BloodPressureSection } from '../components/BloodPressureSection.tsx';
import { InboxSection } from '../components/InboxSection.tsx';
import { ProfileSection } from '../components/ProfileSection.tsx';
import { CareTasksSection } from '../components/CareTasksSection.tsx';

/**
 * One member on one screen. The care team sees profile flags with their evidence and open care
 * tasks; the member themself sees their readings and can act on their inbox.
 */
export function MemberPage({
  memberId,
  self,
  careTeam,
}: {
  memberId: string;
  self: boolean;
  careTeam: boolean;
}) {
  const { lang, t } = useLang();
  const member = useResource<Member>(`/members/${memberId}`);
  const m = member.data;

  return (
    <div className="member-page">
      <div className="member-head">
        {careTeam && (
          <a href={hrefFor.members} className="back">
            {t.backToList}
          </a>
        )}
        {member.error && <LoadError error={member.error} onRetry={member.reload} />}
        {m && (
          <>
            <h1 data-testid="member-name">
              {self && !careTeam ? `${t.myHealth} · ${m.name}` : m.name}
            </h1>
            <p className="muted">
              {[
                labelOf(genderLabels, m.gender, lang),
                m.birthDate ? t.age(ageInYears(m.birthDate)) : null,
                m.externalRef,
                `${t.timeZone} ${m.timeZone}`,
              ]
                .filter(Boolean)
                .join(' · ')}
            </p>
          </>
        )}
      </div>
      <div className="member-grid">
        <BloodPressureSection memberId={memberId} />
        <div>
          <InboxSection memberId={memberId} canAct={self} />
          {careTeam && <CareTasksSection memberId={memberId} />}
        </div>
      </div>
      {careTeam && <ProfileSection memberId={memberId} />}
    </div>
  );
}
