#!/usr/bin/env node
// Runs the mocha suite in test/integration inside the real extension host of code-server, driven by Chromium.
// Exit code 0 when every test passed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser } from './browser.mjs';
import { startCodeServer } from './codeServer.mjs';
import { makeWorkspace, repoRoot } from './workspace.mjs';

const TIMEOUT_MS = Number(process.env.AUDITLENS_INTEGRATION_TIMEOUT_MS || 240_000);

async function main() {
  const ws = makeWorkspace();
  const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'auditlens-it-')), 'report.json');
  const cs = await startCodeServer({ extensionPath: repoRoot, workspace: ws.dir, env: { AUDITLENS_TEST_REPORT: report } });
  const { context, close } = await launchBrowser();
  const started = Date.now();
  let code = 1;
  try {
    const page = await context.newPage();
    const exit = new Promise((resolve) => {
      page.exposeFunction('codeAutomationExit', (c) => resolve(Number(c)));
    });
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      if (process.env.AUDITLENS_VERBOSE) process.stderr.write(`[ext-host ${type}] ${JSON.stringify(args)}\n`);
    });
    await page.goto(cs.url({ testsPath: path.join(repoRoot, 'out', 'test', 'integration', 'index.js') }));
    let timer;
    const timeout = new Promise((resolve) => {
      timer = setTimeout(() => resolve('timeout'), TIMEOUT_MS);
    });
    const result = await Promise.race([exit, timeout]);
    clearTimeout(timer);
    if (result === 'timeout') {
      process.stderr.write(`integration tests did not finish within ${TIMEOUT_MS} ms\n`);
      await page.screenshot({ path: path.join(repoRoot, 'test-output', 'integration-timeout.png') }).catch(() => undefined);
    } else {
      code = result;
    }
  } finally {
    if (fs.existsSync(report)) {
      const { failures, outcomes } = JSON.parse(fs.readFileSync(report, 'utf8'));
      for (const o of outcomes) {
        process.stdout.write(`  ${o.state === 'passed' ? '✓' : '✗'} ${o.title}${o.durationMs !== undefined ? ` (${o.durationMs} ms)` : ''}\n`);
        if (o.error) process.stdout.write(`      ${o.error.split('\n').slice(0, 8).join('\n      ')}\n`);
      }
      process.stdout.write(`integration: ${outcomes.length - failures} passed, ${failures} failed in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      if (failures > 0) code = 1;
    } else {
      process.stdout.write('integration: the suite wrote no report (it did not run); code-server log tail:\n');
      process.stdout.write(fs.readFileSync(cs.logFile, 'utf8').slice(-3000) + '\n');
      code = 1;
    }
    await close();
    await cs.stop();
    ws.dispose();
  }
  return code;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`${err.stack || err}\n`);
    process.exit(1);
  },
);
