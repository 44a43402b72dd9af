import { rewardCatalogue, validateReward, type RewardDefinition } from '@careloop/core';
import type { Queryable } from '../db/Db.ts';

/**
 * Seeds the rewards table from the catalogue data in packages/core. Items already in the table are
 * left alone: once seeded, operators own the stock, price and availability there.
 */
export async function syncRewardCatalogue(
  q: Queryable,
  catalogue: readonly RewardDefinition[] = rewardCatalogue,
): Promise<number> {
  const issues = catalogue.flatMap((r, i) => validateReward(r, `rewards[${i}]`));
  if (issues.length > 0)
    throw new Error(
      `invalid rewards catalogue: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    );
  if (catalogue.length === 0) return 0;
  const { rowCount } = await q.query(
    `INSERT INTO rewards (id, kind, title, description, cost, stock, limit_count, limit_period, min_tier, active)
     SELECT id, kind, title::jsonb, description::jsonb, cost, stock, limit_count, limit_period, min_tier, active
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::int[], $7::int[], $8::text[], $9::text[], $10::boolean[])
         AS t(id, kind, title, description, cost, stock, limit_count, limit_period, min_tier, active)
     ON CONFLICT (id) DO NOTHING`,
    [
      catalogue.map((r) => r.id),
      catalogue.map((r) => r.kind),
      catalogue.map((r) => JSON.stringify(r.title)),
      catalogue.map((r) => JSON.stringify(r.description)),
      catalogue.map((r) => r.cost),
      catalogue.map((r) => r.stock),
      catalogue.map((r) => r.limit?.count ?? null),
      catalogue.map((r) => r.limit?.per ?? null),
      catalogue.map((r) => r.minTier),
      catalogue.map((r) => r.active),
    ],
  );
  return rowCount;
}
