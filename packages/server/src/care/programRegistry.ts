import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  formatProgramIssue,
  parseProgram,
  type CareProgram,
  type ProgramIssue,
} from '@careloop/core';

/**
 * The loaded care programs. Every version ever loaded stays addressable (`id@version`) because an
 * enrollment stays on the version it started on; `latest` is what new enrollments get.
 */
export class ProgramRegistry {
  readonly #byKey = new Map<string, CareProgram>();
  readonly #latest = new Map<string, CareProgram>();
  readonly #paused = new Set<string>();

  add(program: CareProgram): void {
    this.#byKey.set(program.key, program);
    this.#latest.set(program.id, program);
  }

  latest(): CareProgram[] {
    return [...this.#latest.values()];
  }

  get(id: string, version?: string): CareProgram | undefined {
    return version ? this.#byKey.get(`${id}@${version}`) : this.#latest.get(id);
  }

  isPaused(id: string): boolean {
    return this.#paused.has(id);
  }

  setPaused(id: string, paused: boolean): void {
    if (paused) this.#paused.add(id);
    else this.#paused.delete(id);
  }

  /**
   * Loads every *.yaml in dir. A file that fails validation is reported and skipped: a running
   * server keeps the last valid version of that program.
   */
  loadDirectory(dir: string): { loaded: string[]; issues: ProgramIssue[] } {
    const loaded: string[] = [];
    const issues: ProgramIssue[] = [];
    for (const name of readdirSync(dir).sort()) {
      if (!/\.ya?ml$/.test(name)) continue;
      const file = join(dir, name);
      const result = parseProgram(readFileSync(file, 'utf8'), file);
      if (result.ok) {
        this.add(result.program);
        loaded.push(result.program.key);
      } else issues.push(...result.issues);
    }
    return { loaded, issues };
  }
}

export function describeIssues(issues: readonly ProgramIssue[]): string {
  return issues.map(formatProgramIssue).join('\n');
}
