/**
 * Guideline tables as data: an ordered list of cut points, the first that matches wins. Keeping the
 * comparison operator in the row lets each table say exactly what the guideline prints (≥, >, <).
 */
export type ThresholdOp = '>=' | '>' | '<' | '<=';

export interface Threshold<C extends string> {
  cls: C;
  op: ThresholdOp;
  value: number;
}

export function meetsThreshold(value: number, op: ThresholdOp, limit: number): boolean {
  switch (op) {
    case '>=':
      return value >= limit;
    case '>':
      return value > limit;
    case '<':
      return value < limit;
    case '<=':
      return value <= limit;
  }
}

/** The class of `value` in a table; `otherwise` when no row matches. */
export function classifyByThresholds<C extends string>(
  rows: readonly Threshold<C>[],
  otherwise: C,
  value: number,
): C {
  for (const row of rows) if (meetsThreshold(value, row.op, row.value)) return row.cls;
  return otherwise;
}
