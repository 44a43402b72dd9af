/** A guideline rule's identity: every derived fact names the rule, guideline, year and section. */
export interface RuleRef {
  /** Stable id, e.g. `cn-htn-2018/bp-class`. */
  id: string;
  guideline: string;
  year: number;
  section: string;
}

/** Text shown to people, always in both product languages. */
export interface Bilingual {
  'zh-CN': string;
  en: string;
}

export function citation(rule: RuleRef): string {
  return `${rule.guideline} (${rule.year}), ${rule.section}`;
}

/** The version of the rule set: bump it when a threshold or rule changes, then `profile rebuild`. */
export const clinicalRulesVersion = '2025.1';
