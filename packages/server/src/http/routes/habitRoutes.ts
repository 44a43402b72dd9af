import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { authorizeMember } from '../../auth/access.ts';
import { hasRole } from '../../auth/actor.ts';
import { redeemReward } from '../../habit/redeemReward.ts';
import { loadRewardsSummary } from '../../habit/rewardsSummary.ts';
import { syncRewardCatalogue } from '../../habit/syncRewardCatalogue.ts';
import { rewardColumns, toRewardDefinition, type RewardRow } from '../../habit/habitStore.ts';
import { RedemptionResultView, RewardsSummaryView, RewardView } from '../../habit/habitViews.ts';
import { requireActor } from '../guards.ts';
import { forbidden, notFound } from '../problem.ts';

/** The habit loop over HTTP: the member's rewards summary, the catalogue, redemptions. */
export const habitRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, clock } = app.deps;
  await syncRewardCatalogue(db);

  app.get(
    '/members/:id/rewards/summary',
    {
      schema: {
        tags: ['rewards'],
        summary: "The member's points balance, tier and benefits, streak, badges and latest ledger",
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: RewardsSummaryView },
      },
    },
    async (req) => {
      const now = clock.now();
      await authorizeMember(db, {
        actor: req.actor,
        memberId: req.params.id,
        action: 'read:rewards',
        requestId: req.id,
        now,
      });
      const summary = await loadRewardsSummary(db, req.params.id, now);
      if (!summary) throw notFound(`no member '${req.params.id}'`);
      return summary;
    },
  );

  app.get(
    '/rewards',
    {
      schema: {
        tags: ['rewards'],
        summary: 'The rewards catalogue: cost in points, stock left, per-member limits',
        response: { 200: Type.Object({ rewards: Type.Array(RewardView) }) },
      },
    },
    async (req) => {
      requireActor(req);
      const { rows } = await db.query<RewardRow>(
        `SELECT ${rewardColumns} FROM rewards r WHERE r.active ORDER BY r.cost, r.id`,
      );
      return {
        rewards: rows.map((r) => {
          const d = toRewardDefinition(r);
          return {
            id: d.id,
            kind: d.kind,
            title: d.title,
            description: d.description,
            cost: d.cost,
            stockRemaining: d.stock === null ? null : Math.max(0, d.stock - r.redeemed),
            limit: d.limit,
            minTier: d.minTier,
            active: d.active,
          };
        }),
      };
    },
  );

  app.post(
    '/members/:id/redemptions',
    {
      schema: {
        tags: ['rewards'],
        summary: 'Redeem a reward with points (the member themselves)',
        description:
          'Idempotent by clientId: sending it again returns the first redemption (200) and spends nothing. A refusal is problem+json 409 with `reason` (reward-inactive, tier-too-low, period-limit, out-of-stock, insufficient-balance) and every refusal in both locales.',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: Type.Object(
          {
            rewardId: Type.String({ minLength: 1, maxLength: 64 }),
            clientId: Type.String({ minLength: 1, maxLength: 200 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: RedemptionResultView, 201: RedemptionResultView },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const now = clock.now();
      await authorizeMember(db, {
        actor,
        memberId: req.params.id,
        action: 'write:redemption',
        requestId: req.id,
        now,
      });
      // Points are the member's own: the care team may look, never spend them.
      if (!(hasRole(actor, 'member') && actor.memberId === req.params.id))
        throw forbidden('only the member redeems their own points');
      const result = await redeemReward(db, {
        memberId: req.params.id,
        rewardId: req.body.rewardId,
        clientId: req.body.clientId,
        now,
      });
      return reply.status(result.duplicate ? 200 : 201).send(result);
    },
  );
};
