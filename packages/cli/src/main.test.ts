import { describe, expect, it } from 'vitest';
import { commandNames } from './main.ts';

describe('careloop', () => {
  it('offers every command the README and the issues name', () => {
    expect(commandNames()).toEqual(
      expect.arrayContaining([
        'serve',
        'migrate',
        'import',
        'profile',
        'report',
        'risk',
        'eval',
        'program',
        'bench',
      ]),
    );
  });
});
