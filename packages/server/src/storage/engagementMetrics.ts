import type { Queryable } from '../db/Db.ts';

export interface EngagementMetrics {
  window: { from: string; to: string };
  messages: {
    sent: number;
    opened: number;
    clicked: number;
    acted: number;
    deferred: number;
    suppressed: number;
  };
  cohort: { from: string; to: string; size: number };
  retention: { day: number; eligible: number; retained: number; rate: number | null }[];
}

const retentionDays = [1, 7, 30] as const;

/** Funnel counts over a window and classic day-N retention of a sign-up cohort, in two queries. */
export async function engagementMetrics(
  q: Queryable,
  args: { from: Date; to: Date; cohortFrom: Date; cohortTo: Date; now: Date },
): Promise<EngagementMetrics> {
  const m = await q.query<Record<string, number>>(
    `SELECT count(*) FILTER (WHERE sent_at >= $1 AND sent_at < $2)::int AS sent,
            count(*) FILTER (WHERE opened_at >= $1 AND opened_at < $2)::int AS opened,
            count(*) FILTER (WHERE clicked_at >= $1 AND clicked_at < $2)::int AS clicked,
            count(*) FILTER (WHERE acted_at >= $1 AND acted_at < $2)::int AS acted,
            count(*) FILTER (WHERE state = 'deferred' AND created_at < $2)::int AS deferred,
            count(*) FILTER (WHERE state = 'suppressed' AND created_at >= $1 AND created_at < $2)::int AS suppressed
       FROM messages WHERE coalesce(sent_at, created_at) < $2`,
    [args.from.toISOString(), args.to.toISOString()],
  );
  const r = await q.query<{ size: number } & Record<string, number>>(
    `WITH cohort AS (SELECT id, created_at FROM members WHERE created_at >= $1 AND created_at < $2)
     SELECT (SELECT count(*)::int FROM cohort) AS size,
       ${retentionDays
         .map(
           (d) => `
       (SELECT count(*)::int FROM cohort c WHERE c.created_at + interval '${d + 1} days' <= $3) AS eligible_${d},
       (SELECT count(*)::int FROM cohort c WHERE c.created_at + interval '${d + 1} days' <= $3 AND EXISTS (
          SELECT 1 FROM engagement_events e WHERE e.member_id = c.id
             AND e.at >= c.created_at + interval '${d} days' AND e.at < c.created_at + interval '${d + 1} days')) AS retained_${d}`,
         )
         .join(',')}`,
    [args.cohortFrom.toISOString(), args.cohortTo.toISOString(), args.now.toISOString()],
  );
  const row = r.rows[0] ?? ({ size: 0 } as Record<string, number>);
  const msg = m.rows[0] ?? {};
  return {
    window: { from: args.from.toISOString(), to: args.to.toISOString() },
    messages: {
      sent: msg.sent ?? 0,
      opened: msg.opened ?? 0,
      clicked: msg.clicked ?? 0,
      acted: msg.acted ?? 0,
      deferred: msg.deferred ?? 0,
      suppressed: msg.suppressed ?? 0,
    },
    cohort: {
      from: args.cohortFrom.toISOString(),
      to: args.cohortTo.toISOString(),
      size: row.size ?? 0,
    },
    retention: retentionDays.map((d) => {
      const eligible = row[`eligible_${d}`] ?? 0;
      const retained = row[`retained_${d}`] ?? 0;
      return {
        day: d,
        eligible,
        retained,
        rate: eligible > 0 ? Math.round((retained / eligible) * 10000) / 10000 : null,
      };
    }),
  };
}
