// End to end, as a user would: a real Chromium drives code-server with the extension under development.
// Opens the sample (default editor), an export through "Reopen Editor With…", and a malformed export through the
// palette command "AI Audit Lens: Open Audit Log…"; asserts what the webview shows; saves screenshots.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { findWebviewFrame, pickQuickItem, quickOpen, runCommand, answerFileDialog, waitForWorkbench } from './workbench.mjs';

function countRecords(file) {
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').length;
}

export const name = 'overview';

export async function run({ page, workspace, outDir, log }) {
  const expected = countRecords(path.join(workspace, 'sample.audit.jsonl')).toLocaleString('en-US');
  await waitForWorkbench(page, 'sample.audit.jsonl');

  log('open sample.audit.jsonl: AI Audit Lens is its default editor');
  await quickOpen(page, 'sample.audit.jsonl');
  let frame = await findWebviewFrame(page, ['sample.audit.jsonl', 'Records read', 'Skipped lines'], { state: 'loaded' });
  const stats = await frame.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll('#stats .stat')].map((s) => [s.querySelector('.stat-label').textContent, s.querySelector('.stat-value').textContent]),
    ),
  );
  assert.equal(stats['Records read'], expected, `records shown: ${JSON.stringify(stats)}`);
  assert.equal(stats['Skipped lines'], '0');
  const rows = await frame.evaluate(() => document.querySelectorAll('#records vscode-table-row').length);
  assert.ok(rows >= 100, `table rows shown: ${rows}`);
  const firstRow = await frame.evaluate(() => document.querySelector('#records vscode-table-row')?.innerText ?? '');
  assert.match(firstRow, /system\.document_upload/);
  await page.screenshot({ path: path.join(outDir, 'overview-sample.png') });

  log('selecting an LLM call shows its full content, read back from the export');
  await frame.locator('#records vscode-table-row', { hasText: 'llm.call' }).first().click();
  await frame.waitForSelector('#detail:not([hidden]) .message', { timeout: 15_000 });
  const detail = await frame.evaluate(() => document.getElementById('detail').innerText);
  assert.match(detail, /System instructions/);
  assert.match(detail, /You are Acme Support/);
  assert.match(detail, /Messages/);
  await page.screenshot({ path: path.join(outDir, 'overview-event-detail.png') });

  log('injection text from the log is shown as text, not run');
  const injected = await frame.evaluate(() => ({
    text: document.body.innerText.includes('<script>alert(document.cookie)</script>'),
    scripts: [...document.querySelectorAll('script')].map((s) => s.src || s.textContent.slice(0, 80)),
  }));
  assert.equal(injected.text, true, 'the prompt-injection attempt is visible as text');
  // VS Code injects its acquireVsCodeApi shim; the only other script is the extension's own bundle.
  const foreign = injected.scripts.filter((s) => !s.includes('acquireVsCodeApi') && !s.endsWith('/dist/webview/overview.js'));
  assert.deepEqual(foreign, [], 'no script element came from log content');

  log('open records.jsonl through "Reopen Editor With…"');
  await quickOpen(page, 'records.jsonl');
  await page.waitForSelector('.monaco-editor .view-lines', { timeout: 30_000 });
  await runCommand(page, 'View: Reopen Editor With...');
  await pickQuickItem(page, 'AI Audit Lens');
  frame = await findWebviewFrame(page, ['records.jsonl', 'Records read'], { state: 'loaded' });
  assert.match(await frame.evaluate(() => document.body.innerText), new RegExp(`${expected}\\s*\\n?\\s*Records read`));

  log('"AI Audit Lens: Open Audit Log…" picks a malformed export; skipped lines are listed with line numbers');
  await runCommand(page, 'AI Audit Lens: Open Audit Log…');
  await answerFileDialog(page, path.join(workspace, 'malformed.jsonl'));
  frame = await findWebviewFrame(page, ['malformed.jsonl', 'Line 3: invalid JSON'], { state: 'loaded' });
  const skipped = await frame.evaluate(() => [...document.querySelectorAll('#skipped li')].map((li) => li.textContent));
  assert.equal(await frame.evaluate(() => document.getElementById('skipped').getAttribute('title')), 'Skipped lines: 2');
  assert.equal(skipped.length, 2);
  assert.match(skipped[0], /^Line 3: invalid JSON/);
  assert.match(skipped[1], /^Line 6: not a JSON object/);
  await page.screenshot({ path: path.join(outDir, 'overview-malformed.png') });

  log('"Read as another format…" overrides detection through a quick pick');
  await frame.locator('#choose-format').click();
  await pickQuickItem(page, 'CSV');
  frame = await findWebviewFrame(page, ['malformed.jsonl', 'chosen by the user'], { state: 'loaded' });
  assert.match(await frame.evaluate(() => document.getElementById('files').innerText), /CSV/);
}
