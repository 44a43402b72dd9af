import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// packages/core is the pure domain: IO, the clock and randomness come in as parameters.
const ioModules = [
  'pg',
  'pg-copy-streams',
  '@electric-sql/pglite',
  'fastify',
  'argon2',
  'pino',
  'fs',
  'fs/promises',
  'net',
  'http',
  'https',
  'child_process',
  'worker_threads',
  'dgram',
  'os',
  'crypto',
].flatMap((m) => (m.includes('/') || !/^[a-z_]+$/.test(m) ? [m] : [m, `node:${m}`]));

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.careloop/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['packages/web/src/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['packages/core/src/**/*.ts'],
    ignores: ['packages/core/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ioModules.map((name) => ({
            name,
            message: 'packages/core is pure: pass IO in from packages/server or packages/cli.',
          })),
          patterns: [
            { group: ['node:*'], message: 'packages/core must not import Node built-ins.' },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'packages/core takes the clock as a parameter (now: Date).',
        },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'packages/core takes the clock as a parameter.',
        },
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: 'packages/core takes randomness as a parameter.',
        },
        {
          selector: "CallExpression[callee.object.name='performance'][callee.property.name='now']",
          message: 'packages/core takes the clock as a parameter.',
        },
        {
          selector: "MemberExpression[object.name='process']",
          message: 'packages/core must not read the process environment.',
        },
      ],
    },
  },
);
