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
  #dir: string | null = null;

  add(program: CareProgram): void {
    this.#byKey.set(program.key, program);
    this.#latest.set(program.id, program);
  }

  get directory(): string | null {
    return this.#dir;
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
    this.#dir = dir;
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

export interface ReloadResult {
  loaded: string[];
  /** Programs whose file is now invalid: they keep running on their last valid version. */
  kept: { id: string; version: string; file: string }[];
  issues: ProgramIssue[];
}

/** Re-reads the directory the registry was loaded from (operators edit programs while it runs). */
export function reloadPrograms(registry: ProgramRegistry): ReloadResult {
  const dir = registry.directory;
  if (!dir) return { loaded: [], kept: [], issues: [] };
  const before = new Map(registry.latest().map((p) => [p.file, p]));
  const { loaded, issues } = registry.loadDirectory(dir);
  const failedFiles = new Set(issues.map((i) => i.file));
  const kept = [...before.values()]
    .filter((p) => failedFiles.has(p.file))
    .map((p) => ({ id: p.id, version: p.version, file: p.file }));
  return { loaded, kept, issues };
}

export function describeIssues(issues: readonly ProgramIssue[]): string {
  return issues.map(formatProgramIssue).join('\n');
}
