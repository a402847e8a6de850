/**
 * The shape of src/, enforced by `npm run check` (docs/architecture.md explains it):
 *   app (main.ts, app.ts)                 wires everything; the only place features are imported
 *   features  commands/ buttons/ autoscan/   never import each other
 *   plumbing  discord/ status/               never imports a feature; status/ is wired by app.ts only
 *   engine    scan/ vt/ store/               never import plumbing or features
 *   core/                                    shared vocabulary; imports nothing else of src/
 * and no cycles at all, type-only imports included.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'A cycle (runtime or type-only) means two modules are really one, or one is at the wrong layer.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-is-the-bottom',
      severity: 'error',
      comment: 'core/ is the vocabulary every layer shares; it depends on nothing else in src/.',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'engine-does-not-look-up',
      severity: 'error',
      comment: 'The engine (scan, vt, store) knows nothing of Discord, features or the wiring.',
      from: { path: '^src/(scan|vt|store)/' },
      to: { path: '^src/(discord|commands|buttons|autoscan)/|^src/(app|main|context|http-server)\\.ts$' },
    },
    {
      name: 'plumbing-does-not-look-up',
      severity: 'error',
      comment: 'discord/ is plumbing: features plug into it through what app.ts hands it.',
      from: { path: '^src/(discord|status)/' },
      to: { path: '^src/(commands|buttons|autoscan)/|^src/(app|main)\\.ts$' },
    },
    {
      name: 'only-app-wires-the-status-page',
      severity: 'error',
      comment: 'status/ (health, status page, operations gauges) is built by app.ts and used by nothing else.',
      from: { path: '^src/', pathNot: '^src/(app\\.ts$|status/)' },
      to: { path: '^src/status/' },
    },
    {
      name: 'only-app-wires-features',
      severity: 'error',
      comment: 'Features are wired in by app.ts alone.',
      from: { path: '^src/', pathNot: '^src/(app\\.ts$|commands/|buttons/|autoscan/)' },
      to: { path: '^src/(commands|buttons|autoscan)/' },
    },
    {
      name: 'features-stay-apart',
      severity: 'error',
      comment: 'A feature never imports another feature: what two share belongs in a layer below.',
      from: { path: '^src/(commands|buttons|autoscan)/' },
      to: { path: '^src/(commands|buttons|autoscan)/', pathNot: '^src/$1/' },
    },
    {
      name: 'foundation-stays-small',
      severity: 'error',
      comment: 'config, log, metrics and the HTTP server are used by every layer and use none of them.',
      from: { path: '^src/(config|log|metrics|http-server)\\.ts$' },
      to: { path: '^src/', pathNot: '^src/(core/|(config|log|metrics)\\.ts$)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
