/**
 * `npm run bench` / `careloop bench [name…]`: every hot-path benchmark, each printing throughput
 * and its ratio against the obvious alternative measured in the same run (ratios, not absolute
 * times: these machines are noisy).
 */
const benches: Record<string, () => Promise<{ main(): Promise<void> }>> = {
  ingest: () => import('./ingest.ts'),
  profile: () => import('./profile.ts'),
  decide: () => import('./decide.ts'),
  dispatch: () => import('./dispatch.ts'),
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !(w in benches));
if (unknown.length > 0) {
  console.error(
    `unknown benchmark(s): ${unknown.join(', ')}; available: ${Object.keys(benches).join(', ')}`,
  );
  process.exit(2);
}
for (const name of wanted.length > 0 ? wanted : Object.keys(benches)) {
  console.log(`\n=== bench/${name} ===`);
  const started = performance.now();
  await (await benches[name]!()).main();
  console.log(`(bench/${name} took ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
export {};
