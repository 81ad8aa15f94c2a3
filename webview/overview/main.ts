// The overview of one export (the custom editor's webview): totals, skipped lines, and the first records.
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-table/index.js';
import '@vscode-elements/elements/dist/vscode-table-body/index.js';
import '@vscode-elements/elements/dist/vscode-table-cell/index.js';
import '@vscode-elements/elements/dist/vscode-table-header/index.js';
import '@vscode-elements/elements/dist/vscode-table-header-cell/index.js';
import '@vscode-elements/elements/dist/vscode-table-row/index.js';
import type { HostToWebview, LoadProgress, LoadSummary, PreviewRow, SkippedLine } from '../../src/shared/protocol';
import { assertNever } from '../../src/shared/protocol';
import { el, fmtBytes, fmtInt, fmtLocal, fmtUsd, fmtUtc } from '../common/text';
import { onHostMessage, postToHost } from '../common/vscodeApi';

const app = document.getElementById('app')!;

function renderLoading(fileName: string, progress: LoadProgress | null): void {
  const pct = progress && progress.totalBytes > 0 ? Math.round((100 * progress.bytesRead) / progress.totalBytes) : null;
  const bar = document.createElement('vscode-progress-bar');
  if (pct !== null) bar.setAttribute('value', String(pct));
  if (pct !== null) bar.setAttribute('max', '100');
  app.replaceChildren(
    el('h1', { text: fileName }),
    bar,
    el('p', {
      className: 'muted',
      text: progress
        ? `Loading… ${pct}% · ${fmtInt(progress.records)} records · ${fmtInt(progress.skipped)} skipped lines`
        : 'Loading…',
    }),
  );
  app.dataset.state = 'loading';
}

function renderFailed(fileName: string, message: string): void {
  app.replaceChildren(
    el('h1', { text: fileName }),
    el('div', { className: 'error-box' }, [el('span', { className: 'codicon codicon-error' }), el('span', { text: message })]),
  );
  app.dataset.state = 'failed';
}

function stat(label: string, value: string, opts: { warn?: boolean; title?: string } = {}): HTMLElement {
  return el('div', { className: opts.warn ? 'stat warn' : 'stat', title: opts.title ?? `${label}: ${value}` }, [
    el('div', { className: 'stat-value', text: value }),
    el('div', { className: 'stat-label', text: label }),
  ]);
}

function lineLink(line: number, label = `line ${line}`): HTMLElement {
  const a = el('a', { className: 'line-link', text: label, title: `Reveal line ${line} in the export` });
  a.setAttribute('href', '#');
  a.setAttribute('role', 'button');
  a.addEventListener('click', (e) => {
    e.preventDefault();
    postToHost({ type: 'revealLine', line });
  });
  return a;
}

function renderSkipped(summary: LoadSummary): HTMLElement | null {
  if (summary.skipped === 0) return null;
  const box = document.createElement('vscode-collapsible');
  box.setAttribute('title', `Skipped lines: ${fmtInt(summary.skipped)}`);
  box.setAttribute('open', '');
  box.id = 'skipped';
  const list = el('ul', { className: 'skipped-list' });
  for (const s of summary.skippedLines) list.append(skippedItem(s));
  box.append(list);
  if (summary.skipped > summary.skippedLines.length) {
    box.append(el('p', { className: 'muted', text: `The first ${summary.skippedLines.length} are listed; all ${fmtInt(summary.skipped)} are counted. The output channel "AI Audit Lens" lists them too.` }));
  }
  return box;
}

function skippedItem(s: SkippedLine): HTMLElement {
  return el('li', {}, [lineLink(s.line, `Line ${s.line}`), el('span', { text: `: ${s.reason}` })]);
}

const COLUMNS: { label: string; width: string; cell(r: PreviewRow): HTMLElement | string }[] = [
  { label: 'Line', width: '60px', cell: (r) => lineLink(r.line, String(r.line)) },
  { label: 'Time (UTC)', width: '170px', cell: (r) => el('span', { text: fmtUtc(r.ts), title: fmtLocal(r.ts) }) },
  { label: 'Type', width: '200px', cell: (r) => r.type },
  { label: 'Session', width: '110px', cell: (r) => r.sessionId ?? '—' },
  { label: 'User', width: '100px', cell: (r) => r.userId ?? '—' },
  { label: 'Model', width: '130px', cell: (r) => r.model ?? '—' },
  {
    label: 'Tokens in / out',
    width: '130px',
    cell: (r) => (r.inputTokens === null && r.outputTokens === null ? '—' : `${fmtInt(r.inputTokens)} / ${fmtInt(r.outputTokens)}`),
  },
  { label: 'Cost', width: '80px', cell: (r) => fmtUsd(r.costUsd) },
  { label: 'Status', width: '70px', cell: (r) => r.status ?? '—' },
  { label: 'Prompt or event', width: 'auto', cell: (r) => el('span', { className: 'text-cell', text: r.text ?? '', title: r.text ?? '' }) },
];

function renderTable(rows: PreviewRow[]): HTMLElement {
  const table = document.createElement('vscode-table');
  table.setAttribute('zebra', '');
  table.setAttribute('bordered-columns', '');
  table.setAttribute('resizable', '');
  table.setAttribute('columns', JSON.stringify(COLUMNS.map((c) => c.width)));
  table.id = 'records';
  const header = document.createElement('vscode-table-header');
  header.setAttribute('slot', 'header');
  for (const c of COLUMNS) {
    const cell = document.createElement('vscode-table-header-cell');
    cell.textContent = c.label;
    header.append(cell);
  }
  const body = document.createElement('vscode-table-body');
  body.setAttribute('slot', 'body');
  for (const r of rows) {
    const row = document.createElement('vscode-table-row');
    row.dataset.line = String(r.line);
    for (const c of COLUMNS) {
      const cell = document.createElement('vscode-table-cell');
      const content = c.cell(r);
      if (typeof content === 'string') cell.append(el('span', { text: content }));
      else cell.append(content);
      row.append(cell);
    }
    body.append(row);
  }
  table.append(header, body);
  return table;
}

function renderLoaded(summary: LoadSummary, rows: PreviewRow[]): void {
  const span = summary.firstTs ? `${fmtUtc(summary.firstTs)} → ${fmtUtc(summary.lastTs)}` : '—';
  const meta = `JSON Lines${summary.compressed ? ' (gzip)' : ''} · ${fmtBytes(summary.bytes)} · ${fmtInt(summary.lines)} lines · loaded in ${fmtInt(summary.elapsedMs)} ms`;
  const stats = el('section', { className: 'stats' }, [
    stat('Records', fmtInt(summary.records)),
    stat('Skipped lines', fmtInt(summary.skipped), { warn: summary.skipped > 0 }),
    stat('Sessions', fmtInt(summary.sessions)),
    stat('Users', fmtInt(summary.users)),
    stat('Models', fmtInt(summary.models)),
    stat('Tokens in / out', `${fmtInt(summary.inputTokens)} / ${fmtInt(summary.outputTokens)}`),
    stat('Cost (logged)', fmtUsd(summary.costUsd)),
    stat('Errors', fmtInt(summary.errors), { warn: summary.errors > 0 }),
  ]);
  stats.id = 'stats';
  const children: (HTMLElement | null)[] = [
    el('h1', { text: summary.fileName }),
    el('p', { className: 'muted', text: meta }),
    el('p', { className: 'muted', text: `Time span (UTC): ${span}` }),
    stats,
    renderSkipped(summary),
    el('h2', { text: rows.length < summary.records ? `First ${fmtInt(rows.length)} of ${fmtInt(summary.records)} records` : `All ${fmtInt(rows.length)} records` }),
    rows.length ? renderTable(rows) : el('p', { className: 'muted', text: 'This export holds no records.' }),
  ];
  app.replaceChildren(...children.filter((c): c is HTMLElement => c !== null));
  app.dataset.state = 'loaded';
}

function onMessage(msg: HostToWebview): void {
  switch (msg.type) {
    case 'loading':
      return renderLoading(msg.fileName, msg.progress);
    case 'loaded':
      return renderLoaded(msg.summary, msg.rows);
    case 'failed':
      return renderFailed(msg.fileName, msg.message);
    default:
      assertNever(msg);
  }
}

onHostMessage(onMessage);
postToHost({ type: 'ready' });
