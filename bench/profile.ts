/**
 * Profile engine throughput. (1) Incremental: one new observation into a member with two years of
 * history, against recomputing that member from scratch (rebuildProfile over the whole history plus
 * the new reading) — the obvious alternative. (2) Full rebuild: members/s for `profile rebuild`
 * (rebuildProfile over two years), against replaying the same history one day per update.
 * Run: npx tsx bench/profile.ts
 */
import { performance } from 'node:perf_hooks';
import type { StoredObservation } from '../packages/core/src/model/types.ts';
import {
  rebuildProfile,
  updateProfile,
  type ProfileState,
} from '../packages/core/src/profile/index.ts';
import {
  bpReading,
  observationBuilder,
  seededRandom,
  testMember,
} from '../packages/core/src/profile/observationFixtures.ts';

const dayMs = 86_400_000;
const start = Date.parse('2023-01-01T00:00:00Z');
const historyDays = 730;

/** Two years of a typical chronic-care member: home BP twice a day, glucose, steps, weekly weight, quarterly labs. */
function twoYears(memberId: string, seed: number): StoredObservation[] {
  const rnd = seededRandom(seed);
  const obs = observationBuilder(memberId, `${memberId}-`);
  const out: StoredObservation[] = [];
  for (let d = 0; d < historyDays; d++) {
    const t0 = start + d * dayMs;
    const at = (h: number) => new Date(t0 + h * 3_600_000).toISOString();
    const home = { sourceKind: 'device' as const };
    out.push(
      ...bpReading(obs, Math.round(125 + rnd() * 25), Math.round(75 + rnd() * 15), at(0), home),
    );
    out.push(
      ...bpReading(obs, Math.round(125 + rnd() * 25), Math.round(75 + rnd() * 15), at(12), home),
    );
    out.push(obs('glucose', Math.round((5 + rnd() * 4) * 10) / 10, at(1), home));
    out.push(obs('steps', Math.round(3000 + rnd() * 8000), at(14), home));
    if (d % 7 === 0) out.push(obs('weight', Math.round((72 + rnd() * 3) * 10) / 10, at(1), home));
    if (d % 90 === 0) {
      for (const [id, v] of [
        ['fpg', 6.2],
        ['hba1c', 6.1],
        ['tc', 5.4],
        ['ldl', 3.3],
        ['hdl', 1.1],
        ['tg', 1.9],
        ['creatinine', 90],
        ['uric_acid', 410],
        ['waist', 91],
      ] as const) {
        out.push(obs(id, v + (rnd() - 0.5) * v * 0.1, at(2)));
      }
    }
  }
  return out;
}

function timeIt(minMs: number, fn: (i: number) => void): { ops: number; ms: number } {
  let ops = 0;
  const t0 = performance.now();
  let now = t0;
  while (now - t0 < minMs) {
    for (let k = 0; k < 20; k++) fn(ops++);
    now = performance.now();
  }
  return { ops, ms: now - t0 };
}

const rate = (r: { ops: number; ms: number }) => (r.ops * 1000) / r.ms;
const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: n < 10 ? 2 : 0 });

export async function main(): Promise<void> {
  const member = testMember({ timeZone: 'Asia/Shanghai' });
  const history = twoYears('bench', 1);
  const nowMs = start + historyDays * dayMs - 3_600_000;
  const base = rebuildProfile({ member, observations: history, now: new Date(nowMs) });
  const stateJson = JSON.stringify(base.state);
  console.log(
    `member: ${history.length} observations over ${historyDays} days; ${base.facts.length} facts; state ${fmt(stateJson.length / 1024)} KiB as JSON`,
  );

  const extra = observationBuilder('bench', 'new-');
  const newObs = Array.from({ length: 1000 }, (_, i) =>
    extra('glucose', 5 + (i % 40) / 10, new Date(nowMs - 600_000 + i).toISOString(), {
      sourceKind: 'device',
    }),
  );
  const now = new Date(nowMs);

  const incremental = timeIt(3000, (i) => {
    updateProfile({
      state: base.state,
      member,
      observations: [newObs[i % newObs.length] as StoredObservation],
      now,
    });
  });
  const incrementalJson = timeIt(3000, (i) => {
    const state = JSON.parse(stateJson) as ProfileState;
    const u = updateProfile({
      state,
      member,
      observations: [newObs[i % newObs.length] as StoredObservation],
      now,
    });
    JSON.stringify(u.state);
  });
  const scratch = timeIt(3000, (i) => {
    rebuildProfile({
      member,
      observations: [...history, newObs[i % newObs.length] as StoredObservation],
      now,
    });
  });
  console.log('\n1) one new observation into a member with two years of history');
  console.log(`   incremental updateProfile           ${fmt(rate(incremental))} updates/s`);
  console.log(`   incremental incl. JSON state load/save ${fmt(rate(incrementalJson))} updates/s`);
  console.log(`   recompute from scratch (rebuildProfile) ${fmt(rate(scratch))} updates/s`);
  console.log(`   ratio incremental / from scratch     ${fmt(rate(incremental) / rate(scratch))}×`);

  const members = Array.from({ length: 4 }, (_, k) => twoYears(`m${k}`, 10 + k));
  const rebuild = timeIt(4000, (i) => {
    rebuildProfile({
      member,
      observations: members[i % members.length] as StoredObservation[],
      now,
    });
  });
  // The alternative: the same history replayed day by day through incremental updates.
  const byDay = members.map((h) => {
    const days = new Map<number, StoredObservation[]>();
    for (const o of h) {
      const d = Math.floor(Date.parse(o.effectiveAt) / dayMs);
      days.set(d, [...(days.get(d) ?? []), o]);
    }
    return [...days.entries()].sort((a, b) => a[0] - b[0]);
  });
  const replay = timeIt(4000, (i) => {
    let state: ProfileState | null = null;
    for (const [d, batch] of byDay[i % byDay.length] ?? []) {
      state = updateProfile({
        state,
        member,
        observations: batch,
        now: new Date(d * dayMs + 23 * 3_600_000),
      }).state;
    }
  });
  console.log('\n2) full rebuild of a member with two years of history');
  console.log(
    `   rebuildProfile (one batch)            ${fmt(rate(rebuild))} members/s (${fmt((rate(rebuild) * history.length) / 1000)}k observations/s)`,
  );
  console.log(`   replay day by day (incremental)       ${fmt(rate(replay))} members/s`);
  console.log(`   ratio rebuild / replay                ${fmt(rate(rebuild) / rate(replay))}×`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
