import type { MedicationClass } from '../../clinical/medicationClasses.ts';
import type { DeriveContext } from '../facts.ts';
import type { MedicationSummary } from '../state.ts';

/** Active medications by class (empty when medications are not used as evidence). */
export function activeMedicationClasses(
  ctx: DeriveContext,
): Map<MedicationClass, MedicationSummary[]> {
  const out = new Map<MedicationClass, MedicationSummary[]>();
  if (!ctx.options.useMedications) return out;
  const meds = Object.values(ctx.state.medications).sort((a, b) => (a.id < b.id ? -1 : 1));
  for (const m of meds) {
    if (!m.active) continue;
    for (const c of m.classes) {
      const list = out.get(c) ?? [];
      list.push(m);
      out.set(c, list);
    }
  }
  return out;
}
