import type { CareProgram, FactValues } from './careProgram.ts';
import type { EnrollmentState } from './programRuntime.ts';

/** Whether the member meets the program's entry criteria. */
export function isEligible(program: CareProgram, facts: FactValues, now: Date): boolean {
  return program.entry.evaluate(program.toConditionContext(facts, now));
}

/** Whether the member meets the program's exit criteria (a program without them never exits so). */
export function meetsExitCriteria(program: CareProgram, facts: FactValues, now: Date): boolean {
  return program.exit !== null && program.exit.evaluate(program.toConditionContext(facts, now));
}

/** A fresh enrollment pinned to this program version. */
export function createEnrollment(program: CareProgram, enrolledAt: Date): EnrollmentState {
  return {
    programId: program.id,
    version: program.version,
    enrolledAt: enrolledAt.toISOString(),
    status: 'active',
    exitReason: null,
    waiting: [],
    variables: {},
    triggers: {},
  };
}

/**
 * Moves an enrollment to another version of its program. Paused flows must land on steps that
 * still exist, and per-trigger memory is kept only for triggers that still exist.
 */
export function migrateEnrollment(
  state: EnrollmentState,
  to: CareProgram,
): { ok: true; state: EnrollmentState } | { ok: false; problems: string[] } {
  if (state.programId !== to.id) {
    return { ok: false, problems: [`enrollment is in '${state.programId}', not '${to.id}'`] };
  }
  const problems = state.waiting
    .filter((w) => !to.steps.has(w.stepId))
    .map(
      (w) =>
        `flow ${w.flowId} waits to continue at step '${w.stepId}', which version ${to.version} lacks`,
    );
  if (problems.length > 0) return { ok: false, problems };
  const ids = new Set(to.triggers.map((t) => t.id));
  const triggers = Object.fromEntries(Object.entries(state.triggers).filter(([id]) => ids.has(id)));
  return { ok: true, state: { ...state, version: to.version, triggers } };
}

/** Throws when a state is run against another program or version: a runner bug, not bad data. */
export function assertSameVersion(program: CareProgram, state: EnrollmentState): void {
  if (state.programId !== program.id || state.version !== program.version) {
    throw new Error(
      `enrollment is on ${state.programId}@${state.version}, not ${program.key}: load that version or migrate`,
    );
  }
}
