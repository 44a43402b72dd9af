/** Where a command writes: injected so commands are testable without touching the real process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Working directory paths are resolved against. */
  cwd: string;
  env: Record<string, string | undefined>;
}

/** A `careloop` sub-command: takes its arguments (after the command name), returns the exit code. */
export type CliCommand = (argv: string[], io: CliIo) => Promise<number>;

export const processIo = (): CliIo => ({
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  cwd: process.cwd(),
  env: process.env,
});
