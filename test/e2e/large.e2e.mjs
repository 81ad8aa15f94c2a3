// A larger export (~60k records) fills the view in while it loads: progress, then the first events, then the
// totals; the workbench stays usable meanwhile (the database work runs in the worker thread).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../harness/workspace.mjs';
import { findWebviewFrame, quickOpen, waitForWorkbench } from './workbench.mjs';

export const name = 'large-export-fills-in';

export function prepare(workspace) {
  execFileSync(process.execPath, [path.join(repoRoot, 'dist', 'tools', 'generate-sample.js'), '--sessions', '10000', '--out', path.join(workspace, 'large.audit.jsonl')]);
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
}
