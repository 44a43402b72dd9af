export { main } from './main.ts';
export type { CliCommand, CliIo } from './io.ts';
