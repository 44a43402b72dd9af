import type { Evidence, ProfileFact } from '../../model/types.ts';
import { creatinineUmolPerMgdl, ckdEpi2021Rule, egfrCkdEpi2021 } from '../../clinical/egfr.ts';
import {
  albuminuriaCategoryLabels,
  albuminuriaCategoryRule,
  ckdMarkers,
  ckdRule,
  classifyAlbuminuria,
  classifyGfr,
  gfrCategoryLabels,
  gfrCategoryRule,
} from '../../clinical/kidney.ts';
import type { DeriveContext } from '../facts.ts';
import { conditionsFor, readingEvidence, clinicianTag, round, ruleFact } from '../facts.ts';
import { ageOnDay } from '../localDay.ts';
import type { Reading } from '../state.ts';

/** One eGFR value: reported by the lab, or computed (CKD-EPI 2021) from a creatinine result. */
export interface EgfrPoint {
  t: number;
  d: number;
  egfr: number;
  source: Reading;
  computed: boolean;
}

/** The eGFR series: a lab-reported eGFR wins on its day; other creatinine days are computed. */
export function egfrSeries(ctx: DeriveContext): EgfrPoint[] {
  const reported = ctx.state.indicators.egfr?.history ?? [];
  const creat = ctx.state.indicators.creatinine?.history ?? [];
  const days = new Set(reported.map((r) => r.d));
  const out: EgfrPoint[] = reported.map((r) => ({
    t: r.t,
    d: r.d,
    egfr: r.v,
    source: r,
    computed: false,
  }));
  for (const c of creat) {
    if (days.has(c.d)) continue;
    const age = ageOnDay(ctx.member.birthDate, c.d);
    if (age === null) continue;
    const e = egfrCkdEpi2021(c.v / creatinineUmolPerMgdl, age, ctx.member.gender);
    if (e !== null) out.push({ t: c.t, d: c.d, egfr: round(e, 0), source: c, computed: true });
  }
  return out.sort((a, b) => a.t - b.t || (a.source.id < b.source.id ? -1 : 1));
}

interface MarkerPoint {
  t: number;
  abnormal: boolean;
  ev: Evidence;
}

/** The first run of consecutive abnormal results spanning > 90 days (KDIGO "> 3 months"). */
export function persistentAbnormality(points: readonly MarkerPoint[]): MarkerPoint[] | null {
  let run: MarkerPoint[] = [];
  for (const p of points) {
    if (!p.abnormal) {
      run = [];
      continue;
    }
    run.push(p);
    const first = run[0] as MarkerPoint;
    if (p.t - first.t > ckdMarkers.persistenceDays * 86_400_000) return run;
  }
  return null;
}

function acrCategory(r: Reading) {
  return r.ou && r.ou.startsWith('mg/mmol') && r.ov !== undefined
    ? classifyAlbuminuria(r.ov, 'mg/mmol')
    : classifyAlbuminuria(r.v, 'mg/g');
}

function egfrEvidence(p: EgfrPoint): Evidence {
  const e = readingEvidence(p.source);
  return p.computed
    ? { ...e, value: p.egfr, unit: 'mL/min/{1.73_m2}', code: `computed:${p.source.code}` }
    : e;
}

export function kidneyFacts(ctx: DeriveContext): ProfileFact[] {
  const out: ProfileFact[] = [];
  const series = egfrSeries(ctx);
  const last = series[series.length - 1];
  if (last) {
    const g = classifyGfr(last.egfr);
    const how = last.computed
      ? {
          'zh-CN': `由肌酐 ${last.source.v} µmol/L 按 CKD-EPI 2021 计算`,
          en: `computed by CKD-EPI 2021 from creatinine ${last.source.v} µmol/L`,
        }
      : { 'zh-CN': '检验报告值', en: 'as reported by the lab' };
    out.push(
      ruleFact(
        'kidney.egfr',
        'value',
        last.egfr,
        last.computed ? ckdEpi2021Rule : gfrCategoryRule,
        [egfrEvidence(last)],
        {
          'zh-CN': `eGFR ${last.egfr} mL/min/1.73m²（${how['zh-CN']}，${last.source.at.slice(0, 10)}）`,
          en: `eGFR ${last.egfr} mL/min/1.73m² (${how.en}, ${last.source.at.slice(0, 10)})`,
        },
        'mL/min/{1.73_m2}',
      ),
      ruleFact(
        'kidney.g_stage',
        'class',
        g,
        gfrCategoryRule,
        [egfrEvidence(last)],
        gfrCategoryLabels[g],
      ),
    );
  }
  const acrHistory = ctx.state.indicators.urine_acr?.history ?? [];
  const acr = acrHistory[acrHistory.length - 1];
  if (acr) {
    const a = acrCategory(acr);
    out.push(
      ruleFact(
        'kidney.a_stage',
        'class',
        a,
        albuminuriaCategoryRule,
        [readingEvidence(acr)],
        albuminuriaCategoryLabels[a],
      ),
    );
  }

  const gfrPoints: MarkerPoint[] = series.map((p) => ({
    t: p.t,
    abnormal: p.egfr < ckdMarkers.egfrBelow,
    ev: egfrEvidence(p),
  }));
  const acrPoints: MarkerPoint[] = acrHistory.map((r) => ({
    t: r.t,
    abnormal: acrCategory(r) !== 'A1',
    ev: readingEvidence(r),
  }));
  const run = persistentAbnormality(gfrPoints) ?? persistentAbnormality(acrPoints);
  if (run) {
    const first = run[0] as MarkerPoint;
    const lastRun = run[run.length - 1] as MarkerPoint;
    const months = round((lastRun.t - first.t) / (30.44 * 86_400_000), 1);
    out.push(
      ruleFact('tag.ckd', 'tag', true, ckdRule, run.map((p) => p.ev).reverse(), {
        'zh-CN': `肾功能指标（eGFR <60 或尿白蛋白/肌酐比值 ≥30 mg/g）异常持续约 ${months} 个月（>3个月），请与医生确认`,
        en: `Kidney markers (eGFR < 60 or urine ACR ≥ 30 mg/g) abnormal for about ${months} months (> 3 months) — please confirm with your doctor`,
      }),
    );
    return out;
  }
  const conds = conditionsFor(ctx, 'ckd');
  if (conds.length > 0) {
    out.push(
      clinicianTag('tag.ckd', ckdRule, conds, {
        'zh-CN': '慢性肾脏病',
        en: 'chronic kidney disease',
      }),
    );
    return out;
  }
  const lastGfr = gfrPoints[gfrPoints.length - 1];
  const lastAcr = acrPoints[acrPoints.length - 1];
  const abnormalNow = [lastGfr, lastAcr].filter(
    (p): p is MarkerPoint => p !== undefined && p.abnormal,
  );
  if (abnormalNow.length > 0) {
    out.push(
      ruleFact(
        'tag.kidney_marker_abnormal_unconfirmed',
        'flag',
        true,
        ckdRule,
        abnormalNow.map((p) => p.ev),
        {
          'zh-CN': '最近的肾功能指标异常，需 3 个月后复查确认是否持续',
          en: 'A recent kidney marker is abnormal — a re-check after 3 months shows whether it persists',
        },
      ),
    );
  }
  return out;
}
