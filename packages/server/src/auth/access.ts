import type { Queryable } from '../db/Db.ts';
import { forbidden, notFound, unauthorized } from '../http/problem.ts';
import { hasRole, type Actor } from './actor.ts';

export interface AccessRequest {
  actor: Actor | null;
  memberId: string;
  /** What is being done, e.g. `read:observations`, `write:observations`. */
  action: string;
  requestId: string;
  now: Date;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Least privilege, checked on every access to one member's health data, and audited whether it is
 * permitted or refused: a member sees only themselves; a health manager or doctor only the members
 * assigned to them who consent to sharing with their care team; an admin everyone; an operator
 * works with aggregates, never one member's record.
 */
export async function authorizeMember(q: Queryable, req: AccessRequest): Promise<void> {
  const { actor, memberId } = req;
  const deny = async (reason: string, problem: Error): Promise<never> => {
    await audit(q, req, 'denied', reason);
    throw problem;
  };
  if (!actor) return deny('not authenticated', unauthorized());
  if (!uuidPattern.test(memberId))
    return deny('malformed member id', notFound(`no member '${memberId}'`));
  if (actor.memberId === memberId && hasRole(actor, 'member'))
    return audit(q, req, 'permitted', 'own record');
  if (hasRole(actor, 'admin')) {
    const { rows } = await q.query('SELECT 1 FROM members WHERE id = $1', [memberId]);
    if (rows.length === 0) return deny('no such member', notFound(`no member '${memberId}'`));
    return audit(q, req, 'permitted', 'admin');
  }
  if (hasRole(actor, 'manager', 'doctor')) {
    const { rows } = await q.query<{ share: boolean | null }>(
      `SELECT (m.consents->>'shareWithCareTeam')::boolean AS share
         FROM care_assignments a JOIN members m ON m.id = a.member_id
        WHERE a.member_id = $1 AND a.user_id = $2`,
      [memberId, actor.userId],
    );
    const row = rows[0];
    if (!row)
      return deny('not assigned to this member', forbidden('you are not assigned to this member'));
    if (row.share === false)
      return deny(
        'member has not consented to sharing',
        forbidden('the member has not consented to sharing with the care team'),
      );
    return audit(q, req, 'permitted', 'assigned care team');
  }
  return deny(
    'role may not read individual records',
    forbidden('your role may not access this member'),
  );
}

export async function audit(
  q: Queryable,
  req: AccessRequest,
  outcome: 'permitted' | 'denied',
  reason: string,
): Promise<void> {
  await q.query(
    `INSERT INTO audit_log (at, actor_user_id, actor_roles, action, member_id, resource, outcome, reason, request_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      req.now.toISOString(),
      req.actor?.userId ?? null,
      req.actor?.roles ?? [],
      req.action,
      uuidPattern.test(req.memberId) ? req.memberId : null,
      `member/${req.memberId}`,
      outcome,
      reason,
      req.requestId,
    ],
  );
}

/** Audits a read that lists many members (one row each): the caseload is health data too. */
export async function auditMany(
  q: Queryable,
  actor: Actor,
  memberIds: readonly string[],
  action: string,
  requestId: string,
  now: Date,
): Promise<void> {
  if (memberIds.length === 0) return;
  await q.query(
    `INSERT INTO audit_log (at, actor_user_id, actor_roles, action, member_id, resource, outcome, reason, request_id)
     SELECT $1, $2, $3, $4, m, 'member/' || m::text, 'permitted', 'listed', $5 FROM unnest($6::uuid[]) AS t(m)`,
    [now.toISOString(), actor.userId, actor.roles, action, requestId, memberIds],
  );
}
