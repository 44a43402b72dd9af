import type { ProfileFact } from '../../model/types.ts';
import { indicators } from '../../clinical/indicators.ts';
import type { DeriveContext } from '../facts.ts';
import { bpClassFacts, hypertensionFacts } from './bloodPressure.ts';
import { bmiFacts, waistFacts } from './bodyWeight.ts';
import { glycaemiaFacts } from './glycaemia.ts';
import {
  indicatorLatestFacts,
  indicatorTrendFacts,
  indicatorWindowFacts,
} from './indicatorFacts.ts';
import { kidneyFacts } from './kidney.ts';
import { lipidFacts } from './lipids.ts';
import { scoreFacts, scoreInputs } from './scores.ts';
import { segmentFacts } from './segments.ts';
import { stageFacts } from './stage.ts';
import { uricAcidFacts } from './uricAcid.ts';

/**
 * A derivation owns a set of fact keys and says what it depends on: indicator ids (a new reading),
 * `<id>@past` (a reading on a completed day), `@conditions`, `@medications`, `@day` (the local date
 * of `now` changed), `@facts` (an earlier derivation changed a fact) and `fact:<key>` (that fact
 * changed). An update runs only the
 * derivations whose dependencies were touched.
 */
export interface Derivation {
  id: string;
  deps: readonly string[];
  derive(ctx: DeriveContext): ProfileFact[];
}

const perIndicator: Derivation[] = indicators.flatMap((ind) => {
  const sparse = ind.category === 'lab' || ind.category === 'body';
  return [
    {
      id: `latest:${ind.id}`,
      deps: [ind.id],
      derive: (ctx: DeriveContext) => indicatorLatestFacts(ctx, ind.id),
    },
    {
      id: `window:${ind.id}`,
      deps: [ind.id, '@day'],
      derive: (ctx: DeriveContext) => indicatorWindowFacts(ctx, ind.id),
    },
    {
      id: `trend:${ind.id}`,
      deps: sparse ? [ind.id] : [`${ind.id}@past`, '@day'],
      derive: (ctx: DeriveContext) => indicatorTrendFacts(ctx, ind.id),
    },
  ];
});

export const derivations: readonly Derivation[] = [
  ...perIndicator,
  { id: 'bp-class', deps: ['sbp', 'dbp'], derive: bpClassFacts },
  {
    id: 'hypertension',
    deps: ['sbp', 'dbp', '@conditions', '@medications'],
    derive: hypertensionFacts,
  },
  { id: 'bmi', deps: ['bmi', 'weight', 'height', '@day'], derive: bmiFacts },
  { id: 'waist', deps: ['waist', '@day'], derive: waistFacts },
  {
    id: 'glycaemia',
    deps: ['fpg', 'ogtt_2h', 'hba1c', 'glucose', '@conditions'],
    derive: glycaemiaFacts,
  },
  { id: 'lipids', deps: ['tc', 'ldl', 'hdl', 'tg', '@conditions'], derive: lipidFacts },
  { id: 'uric-acid', deps: ['uric_acid', '@conditions'], derive: uricAcidFacts },
  { id: 'kidney', deps: ['egfr', 'creatinine', 'urine_acr', '@conditions'], derive: kidneyFacts },
  { id: 'scores', deps: [...scoreInputs, '@day', '@medications'], derive: scoreFacts },
  { id: 'stage', deps: ['@facts', '@medications'], derive: stageFacts },
  { id: 'segments', deps: ['@facts', '@day'], derive: segmentFacts },
];
