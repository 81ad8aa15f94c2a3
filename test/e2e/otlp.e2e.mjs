// OpenTelemetry: select the traces and logs files in the Explorer, "Open Audit Log…" from the context menu, and
// the two files open as one audit log in which a model call shows the content that came from the logs file.
import assert from 'node:assert/strict';
import path from 'node:path';
import { findWebviewFrame, waitForWorkbench } from './workbench.mjs';

export const name = 'otlp-traces-and-logs';

// A single click only selects (no editor opens and re-reveals the Explorer mid-selection).
export const settings = { 'workbench.list.openMode': 'doubleClick', 'explorer.autoReveal': false };

const row = (page, label) => page.locator(`.explorer-folders-view .monaco-list-row[aria-label^="${label}"]`).first();

export async function run({ page, outDir, log }) {
  await waitForWorkbench(page, 'otel');
  log('select traces.otlp.jsonl and logs.otlp.jsonl in the Explorer');
  await row(page, 'otel').click();
  await page.keyboard.press('ArrowRight'); // expand the folder
  await row(page, 'traces.otlp.jsonl').waitFor({ timeout: 15_000 });
  await row(page, 'traces.otlp.jsonl').click();
  await page.waitForSelector('.explorer-folders-view .monaco-list-row.selected[aria-label^="traces.otlp.jsonl"]');
  await row(page, 'logs.otlp.jsonl').click({ modifiers: ['Control'] });
  await page.waitForSelector('.explorer-folders-view .monaco-list-row.selected[aria-label^="logs.otlp.jsonl"]');
  assert.equal(await page.locator('.explorer-folders-view .monaco-list-row.selected').count(), 2, 'two files selected');
  await page.screenshot({ path: path.join(outDir, 'otlp-selection.png') });
  log('context menu: Open Audit Log…');
  const item = page.locator('.monaco-menu .action-item', { hasText: 'Open Audit Log…' }).first();
  // A right-click while the workbench is busy can open no menu: try again (a few times) rather than fail.
  for (let attempt = 1; ; attempt++) {
    await row(page, 'logs.otlp.jsonl').click({ button: 'right' });
    try {
      await item.waitFor({ timeout: 5_000 });
      break;
    } catch (err) {
      if (attempt === 3) throw err;
      await page.keyboard.press('Escape');
    }
  }
  await item.hover();
  await page.keyboard.press('Enter'); // a click can land while the menu is still animating in
  const frame = await findWebviewFrame(page, ['2 files', 'traces.otlp.jsonl', 'logs.otlp.jsonl'], { state: 'loaded' });
  const kinds = await frame.evaluate(() => document.querySelector('.kinds')?.innerText ?? '');
  assert.match(kinds, /llm 8/);
  assert.match(kinds, /message 36/);
  await page.screenshot({ path: path.join(outDir, 'otlp-overview.png') });

  log('a model call shows the messages joined from the logs file');
  const callRow = frame.locator('#records vscode-table-row', { hasText: 'jane.doe@example.com' }).first();
  await callRow.focus(); // keyboard: focus the row, Enter opens it
  await callRow.press('Enter');
  await frame.waitForSelector('#detail:not([hidden]) .message', { timeout: 15_000 });
  const detail = await frame.evaluate(() => document.getElementById('detail').innerText);
  assert.match(detail, /You are Acme Support Bot\./);
  assert.match(detail, /jane\.doe@example\.com/);
  assert.match(detail, /sess-0001/);
  await frame.evaluate(() => document.getElementById('detail').scrollIntoView());
  await page.screenshot({ path: path.join(outDir, 'otlp-event-detail.png') });

  log('the timeline of sess-0001 shows the span tree as a waterfall');
  await frame.locator('#records vscode-table-row', { hasText: 'chat turn' }).first().locator('a', { hasText: 'sess-0001' }).click();
  const timeline = await findWebviewFrame(page, ['Session sess-0001', 'execute_tool'], { state: 'loaded' });
  const nested = await timeline.evaluate(() => [...document.querySelectorAll('.wf')].filter((w) => parseInt(w.style.paddingLeft || '0', 10) > 0).length);
  assert.ok(nested >= 3, `child spans indented under their root: ${nested}`);
  await page.screenshot({ path: path.join(outDir, 'otlp-timeline-waterfall.png') });
}
