// One session of 5,000 events: the timeline shows the first page at once and loads more as the user scrolls.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { findWebviewFrame, pickQuickItem, quickOpen, runCommand, waitForWorkbench } from './workbench.mjs';

export const name = 'long-session-timeline';
const EVENTS = 5000;

export function prepare(workspace) {
  const start = Date.parse('2026-11-02T08:00:00Z');
  const lines = [];
  for (let i = 0; i < EVENTS; i++) {
    const ts = new Date(start + i * 1500).toISOString();
    lines.push(JSON.stringify({
      schema: 'auditlens/1', seq: i + 1, id: `evt_${i}`, ts, type: 'llm.call', session_id: 'sess_long', user_id: 'u_agent', model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: `Step ${i}: continue the reconciliation of batch ${i % 97}` }],
      response: { role: 'assistant', content: `Done with step ${i}.` }, usage: { input_tokens: 120 + (i % 50), output_tokens: 20 }, latency_ms: 400 + (i % 900),
    }));
  }
  fs.writeFileSync(path.join(workspace, 'long-session.jsonl'), lines.join('\n') + '\n');
}

export async function run({ page, outDir, log }) {
  await waitForWorkbench(page, 'long-session.jsonl');
  await quickOpen(page, 'long-session.jsonl');
  await page.waitForSelector('.monaco-editor .view-lines', { timeout: 30_000 });
  await runCommand(page, 'View: Reopen Editor With...');
  await pickQuickItem(page, 'AI Audit Lens');
  await findWebviewFrame(page, ['long-session.jsonl', 'Records read'], { state: 'loaded' });
  log('open the timeline of the single session through the palette');
  await runCommand(page, 'AI Audit Lens: Open Session Timeline…');
  await pickQuickItem(page, 'sess_long');
  const frame = await findWebviewFrame(page, ['Session sess_long', 'Showing 100 of 5,000 events'], { state: 'loaded' });
  log('scrolling to the end of the list loads the next pages');
  for (let shown = 100; shown < 400; shown += 100) {
    await frame.evaluate(() => document.getElementById('sentinel').scrollIntoView());
    await findWebviewFrame(page, [`Showing ${(shown + 100).toLocaleString('en-US')} of 5,000 events`], { timeout: 20_000 });
  }
  assert.equal(await frame.evaluate(() => document.querySelectorAll('.card').length), 400);
  log('the workbench answers meanwhile: the command palette opens');
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input.input').waitFor({ state: 'visible', timeout: 5_000 });
  await page.keyboard.press('Escape');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 5_000 });
  await page.screenshot({ path: path.join(outDir, 'long-session-timeline.png') });
}
