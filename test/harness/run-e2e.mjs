#!/usr/bin/env node
// Runs every test/e2e/*.e2e.mjs against a fresh code-server + Chromium each. Screenshots go to test-output/e2e.
// A failing scenario leaves a failure screenshot beside them. Exit code 0 when all passed.
import fs from 'node:fs';
import path from 'node:path';
import { launchBrowser } from './browser.mjs';
import { startCodeServer } from './codeServer.mjs';
import { makeWorkspace, repoRoot } from './workspace.mjs';

const outDir = path.join(repoRoot, 'test-output', 'e2e');
const only = process.argv[2];

async function runScenario(file) {
  const mod = await import(path.join(repoRoot, 'test', 'e2e', file));
  const ws = makeWorkspace();
  if (mod.prepare) await mod.prepare(ws.dir);
  const cs = await startCodeServer({ extensionPath: repoRoot, workspace: ws.dir, settings: mod.settings ?? {} });
  const { context, close } = await launchBrowser();
  const started = Date.now();
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  page.on('dialog', (d) => {
    pageErrors.push(`unexpected dialog: ${d.message()}`);
    void d.dismiss();
  });
  try {
    await page.goto(cs.url(mod.urlOptions ? mod.urlOptions(ws.dir) : {}));
    await mod.run({ page, workspace: ws.dir, outDir, log: (m) => process.stdout.write(`    · ${m}\n`) });
    process.stdout.write(`  ✓ ${mod.name} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
    return true;
  } catch (err) {
    await page.screenshot({ path: path.join(outDir, `${mod.name}-FAILED.png`) }).catch(() => undefined);
    process.stdout.write(`  ✗ ${mod.name}: ${err.stack || err}\n`);
    if (pageErrors.length) process.stdout.write(`    page errors: ${pageErrors.slice(0, 5).join(' | ')}\n`);
    return false;
  } finally {
    await close();
    await cs.stop();
    ws.dispose();
  }
}

async function main() {
  fs.mkdirSync(outDir, { recursive: true });
  const files = fs.readdirSync(path.join(repoRoot, 'test', 'e2e')).filter((f) => f.endsWith('.e2e.mjs') && (!only || f.includes(only)));
  let failed = 0;
  for (const f of files.sort()) if (!(await runScenario(f))) failed++;
  process.stdout.write(`e2e: ${files.length - failed} passed, ${failed} failed; screenshots in ${path.relative(process.cwd(), outDir)}\n`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`${err.stack || err}\n`);
    process.exit(1);
  },
);
