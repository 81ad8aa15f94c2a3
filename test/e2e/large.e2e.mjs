// A larger export (~60k records) fills the view in while it loads: progress, then the first events, then the
// totals; the workbench stays usable meanwhile (the database work runs in the worker thread). Then an export with
// a hundred users: its charts stacked by user show the 11 most expensive and one "others" stack.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../harness/workspace.mjs';
import { findWebviewFrame, quickOpen, runCommand, waitForWorkbench } from './workbench.mjs';

export const name = 'large-export-fills-in';

export function prepare(workspace) {
  execFileSync(process.execPath, [path.join(repoRoot, 'dist', 'tools', 'generate-sample.js'), '--sessions', '10000', '--out', path.join(workspace, 'large.audit.jsonl')]);
  // The benchmark's generator: 5,000 records of ~3.4 KB over 100 users (and anonymous ones).
  execFileSync(process.execPath, [path.join(repoRoot, 'bench', 'generate.mjs'), '5000', '7', path.join(workspace, 'users.audit.jsonl')], { stdio: 'ignore' });
}

export async function run({ page, outDir, log }) {
  await waitForWorkbench(page, 'large.audit.jsonl');
  log('open large.audit.jsonl');
  await quickOpen(page, 'large.audit.jsonl');
  const frame = await findWebviewFrame(page, ['still loading'], { state: 'loading', timeout: 30_000 });
  const rows = await frame.evaluate(() => document.querySelectorAll('#records vscode-table-row').length);
  assert.ok(rows >= 100, `rows shown while loading: ${rows}`);
  await page.screenshot({ path: path.join(outDir, 'large-while-loading.png') });
  log('the workbench answers while the export loads: the command palette opens');
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input.input').waitFor({ state: 'visible', timeout: 5_000 });
  await page.keyboard.press('Escape');
  await findWebviewFrame(page, ['large.audit.jsonl', 'Records read'], { state: 'loaded', timeout: 120_000 });
  await page.screenshot({ path: path.join(outDir, 'large-loaded.png') });

  log('charts of an export with a hundred users, stacked by user: 11 stacks and "others"');
  await quickOpen(page, 'users.audit.jsonl');
  await findWebviewFrame(page, ['users.audit.jsonl', 'Records read'], { state: 'loaded', timeout: 60_000 });
  await runCommand(page, 'AI Audit Lens: Open Token and Cost Charts');
  let charts = await findWebviewFrame(page, ['Token and cost charts', 'Top models'], { state: 'loaded' });
  await charts.evaluate(() => {
    const s = document.querySelector('#stack-by');
    s.value = 'user';
    s.dispatchEvent(new Event('change'));
  });
  charts = await findWebviewFrame(page, ['stacked by user', 'Top users'], { state: 'loaded' });
  const legend = await charts.evaluate(() => [...document.querySelectorAll('#chart-stacked .u-legend .u-series .u-label')].map((l) => l.textContent.trim()));
  assert.equal(legend.filter((l) => l !== 'Time' && l !== '').length, 12, `legend: ${legend.join(', ')}`);
  assert.ok(legend.some((l) => /^\d+ others$/.test(l)), `an others stack in the legend: ${legend.join(', ')}`);
  await page.screenshot({ path: path.join(outDir, 'charts-many-users.png') });
}
