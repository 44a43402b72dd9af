import type { CareProgram } from '../careProgram.ts';
import { formatProgramIssue, parseProgram } from '../parseProgram.ts';
import type { EnrollmentState, ProgramContext, ProgramMember } from '../programRuntime.ts';
import { createEnrollment } from '../enrollment.ts';

/** Loads a program from YAML text in a test, failing loudly with located issues. */
export function loadProgram(yaml: string, file = 'test.yaml'): CareProgram {
  const r = parseProgram(yaml, file);
  if (!r.ok) throw new Error(r.issues.map(formatProgramIssue).join('\n'));
  return r.program;
}

/** The header every test program shares; append `triggers:` and `sequences:`. */
export const header = (category = 'care', extra = ''): string => `id: test-program
version: 1
category: ${category}
title: { zh-CN: 测试项目, en: Test program }
description: { zh-CN: 测试用, en: For tests }
entry: tag.hypertension
${extra}`;

export const shanghai: ProgramMember = { locale: 'zh-CN', timeZone: 'Asia/Shanghai', name: '李华' };

export function context(now: string, over: Partial<ProgramContext> = {}): ProgramContext {
  return {
    now: new Date(now),
    member: shanghai,
    facts: { 'tag.hypertension': true },
    random: () => 0.5,
    ...over,
  };
}

export function enrolled(program: CareProgram, at: string): EnrollmentState {
  return createEnrollment(program, new Date(at));
}
