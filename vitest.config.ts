import { defineConfig } from 'vitest/config';

// Projects: `unit` (pure, fast), `pglite` (storage/API on embedded Postgres), `postgres` (the same
// suites on a real server: DATABASE_URL), `external` (reads ../shared/data), `web` (real Chromium).
const dbSuites = ['packages/server/src/**/*.test.ts', 'packages/cli/src/**/*.db.test.ts'];
const external = ['**/*.external.test.ts'];
const e2e = ['packages/web/**/*.e2e.test.ts'];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'packages/core/src/**/*.test.ts',
            'packages/cli/src/**/*.test.ts',
            'bench/**/*.test.ts',
          ],
          exclude: [...external, ...e2e, 'packages/cli/src/**/*.db.test.ts', '**/node_modules/**'],
        },
      },
      {
        test: {
          name: 'pglite',
          include: dbSuites,
          // *.pg.test.ts need several real connections (multi-process workers): PostgreSQL only.
          exclude: [...external, '**/*.pg.test.ts', '**/node_modules/**'],
          env: { CARELOOP_TEST_DB: 'pglite' },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'postgres',
          include: dbSuites,
          exclude: [...external, '**/node_modules/**'],
          env: { CARELOOP_TEST_DB: 'postgres' },
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'external',
          include: external,
          exclude: ['**/node_modules/**'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'web',
          include: e2e,
          exclude: ['**/node_modules/**'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
