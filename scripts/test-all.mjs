#!/usr/bin/env node
// `npm test`: type check, build, then the three layers: unit (plain Node), integration (mocha inside the real
// extension host of code-server), end to end (Playwright + Chromium against code-server). Stops at the first
// failing step and exits non-zero. The harness installs itself on first use (see test/harness/install.mjs).
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

const steps = [
  ['type check', bin('tsc'), ['-p', '.', '--noEmit']],
  ['build', process.execPath, ['esbuild.mjs']],
  ['unit tests', bin('mocha'), ['--reporter', 'spec', '--timeout', '60000', 'out/test/unit/**/*.test.js']],
  ['test harness (first run installs Node 24, code-server and Chromium)', process.execPath, ['test/harness/install.mjs']],
  ['integration tests (real extension host)', process.execPath, ['test/harness/run-integration.mjs']],
  ['end-to-end tests (Chromium + code-server)', process.execPath, ['test/harness/run-e2e.mjs']],
];

const started = Date.now();
const timings = [];
for (const [name, cmd, args] of steps) {
  process.stdout.write(`\n=== ${name}\n`);
  const t0 = Date.now();
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  const secs = (Date.now() - t0) / 1000;
  timings.push(`${name}: ${secs.toFixed(1)} s`);
  if (res.status !== 0) {
    process.stdout.write(`\n✗ ${name} failed (exit ${res.status ?? res.signal})\n`);
    process.exit(1);
  }
}
process.stdout.write(`\n✓ all tests passed in ${((Date.now() - started) / 1000).toFixed(1)} s\n  ${timings.join('\n  ')}\n`);
