/** A guideline rule's identity: every derived fact names the rule, guideline, year and section. */
export interface RuleRef {
  /** Stable id, e.g. `cn-htn-2018/bp-class`. */
  id: string;
  guideline: string;
  year: number;
  section: string;
}

export function citation(rule: RuleRef): string {
  return `${rule.guideline} (${rule.year}), ${rule.section}`;
}
