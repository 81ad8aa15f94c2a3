// The overview of one export (or several files read together): how it was read, totals, skipped lines, the
// first events, and the full content of the event the user selects (read back from the export by the host).
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-table/index.js';
import '@vscode-elements/elements/dist/vscode-table-body/index.js';
import '@vscode-elements/elements/dist/vscode-table-cell/index.js';
import '@vscode-elements/elements/dist/vscode-table-header/index.js';
import '@vscode-elements/elements/dist/vscode-table-header-cell/index.js';
import '@vscode-elements/elements/dist/vscode-table-row/index.js';
import type { EventFilter, FilterChoices, ToOverview, LoadProgress, LoadSummary, PreviewRow, SkippedLine } from '../../src/shared/protocol';
import { assertNever } from '../../src/shared/protocol';
import { el, fmtBytes, fmtInt, fmtLocal, fmtUsd, fmtUtc } from '../common/text';
import { onHostMessage, postToHost } from '../common/vscodeApi';
import { renderEventDetail } from './eventDetail';
import { renderFilterBar } from './filterBar';

const app = document.getElementById('app')!;
const FORMAT_LABEL: Record<string, string> = { jsonl: 'JSON Lines', 'json-array': 'JSON array', 'json-document': 'JSON document', csv: 'CSV' };
let current: LoadSummary | undefined;

/** Updates the loading view in place: the progress text every report, the first events once they arrive. */
function renderLoading(title: string, progress: LoadProgress | null, firstRows: PreviewRow[] | undefined): void {
  if (app.dataset.state !== 'loading' || app.dataset.title !== title) {
    const bar = document.createElement('vscode-progress-bar');
    bar.id = 'load-bar';
    app.replaceChildren(el('h1', { text: title }), bar, el('p', { className: 'muted', text: 'Loading…' }));
    app.querySelector('p')!.id = 'load-text';
    app.dataset.state = 'loading';
    app.dataset.title = title;
  }
  if (!progress) return;
  const pct = progress.totalBytes > 0 ? Math.round((100 * progress.bytesRead) / progress.totalBytes) : 100;
  const bar = document.getElementById('load-bar')!;
  bar.setAttribute('value', String(pct));
  bar.setAttribute('max', '100');
  const rate = progress.elapsedMs > 0 ? ` · ${fmtInt(Math.round((1000 * progress.records) / progress.elapsedMs))} records/s` : '';
  document.getElementById('load-text')!.textContent = `Loading… ${pct}% · ${fmtInt(progress.records)} records · ${fmtInt(progress.skipped)} skipped lines${rate}`;
  if (firstRows?.length && !document.getElementById('records')) {
    app.append(el('h2', { text: `First ${fmtInt(firstRows.length)} events, in file order (still loading)` }), renderTable(firstRows));
  }
}

function renderFailed(title: string, message: string): void {
  app.replaceChildren(
    el('h1', { text: title }),
    el('div', { className: 'error-box' }, [el('span', { className: 'codicon codicon-error' }), el('span', { text: message })]),
    formatButton('Read as another format…'),
  );
  app.dataset.state = 'failed';
  delete app.dataset.title;
}

function formatButton(label: string): HTMLElement {
  const b = document.createElement('vscode-button');
  b.setAttribute('secondary', '');
  b.textContent = label;
  b.id = 'choose-format';
  b.addEventListener('click', () => postToHost({ type: 'chooseFormat' }));
  return b;
}

function stat(label: string, value: string, opts: { warn?: boolean } = {}): HTMLElement {
  return el('div', { className: opts.warn ? 'stat warn' : 'stat', title: `${label}: ${value}` }, [
    el('div', { className: 'stat-value', text: value }),
    el('div', { className: 'stat-label', text: label }),
  ]);
}

function lineLink(fileIndex: number, line: number, label: string): HTMLElement {
  const a = el('a', { className: 'line-link', text: label, title: `Reveal line ${line} in the export` });
  a.setAttribute('href', '#');
  a.setAttribute('role', 'button');
  a.addEventListener('click', (e) => {
    e.preventDefault();
    e.stopPropagation();
    postToHost({ type: 'revealLine', fileIndex, line });
  });
  return a;
}

function sessionLink(sessionId: string, rowid?: number): HTMLElement {
  const a = el('a', { className: 'line-link', text: sessionId, title: `Open the timeline of session ${sessionId}` });
  a.setAttribute('href', '#');
  a.addEventListener('click', (e) => {
    e.preventDefault();
    e.stopPropagation();
    postToHost({ type: 'openTimeline', sessionId, rowid });
  });
  return a;
}

function fileLabel(summary: LoadSummary, fileIndex: number): string {
  return summary.files.length > 1 ? `${summary.files[fileIndex]?.fileName ?? '?'}:` : '';
}

function renderFiles(summary: LoadSummary): HTMLElement {
  const list = el('div', { className: 'files' });
  list.id = 'files';
  for (const f of summary.files) {
    const dialects = Object.entries(f.dialects).map(([d, n]) => `${fmtInt(n)} ${d}`).join(', ');
    list.append(
      el('p', { className: 'muted file-line', title: `Read as ${FORMAT_LABEL[f.format]} because ${f.formatReason}` }, [
        el('strong', { text: f.fileName }),
        ` · ${FORMAT_LABEL[f.format] ?? f.format}${f.compressed ? ' (gzip)' : ''} · ${fmtBytes(f.bytes)} · ${fmtInt(f.lines)} lines · ${fmtInt(f.records)} records${dialects ? ` (${dialects})` : ''} · ${fmtInt(f.events)} events`,
      ]),
      el('p', { className: 'muted reason', text: `Read as ${FORMAT_LABEL[f.format] ?? f.format}: ${f.formatReason}.` }),
    );
  }
  list.append(formatButton('Read as another format…'));
  return list;
}

function renderSkipped(summary: LoadSummary): HTMLElement | null {
  if (summary.skipped === 0) return null;
  const box = document.createElement('vscode-collapsible');
  box.setAttribute('title', `Skipped lines: ${fmtInt(summary.skipped)}`);
  box.setAttribute('open', '');
  box.id = 'skipped';
  const list = el('ul', { className: 'skipped-list' });
  for (const s of summary.skippedLines) list.append(skippedItem(summary, s));
  box.append(list);
  if (summary.skipped > summary.skippedLines.length) {
    box.append(
      el('p', {
        className: 'muted',
        text: `The first ${fmtInt(summary.skippedLines.length)} are listed; all ${fmtInt(summary.skipped)} are counted. The output channel "AI Audit Lens" and the Problems panel list them too.`,
      }),
    );
  }
  return box;
}

function skippedItem(summary: LoadSummary, s: SkippedLine): HTMLElement {
  return el('li', {}, [lineLink(s.fileIndex, s.line, `${fileLabel(summary, s.fileIndex)}Line ${s.line}`), el('span', { text: `: ${s.reason}` })]);
}

function renderKinds(summary: LoadSummary): HTMLElement {
  const box = el('p', { className: 'kinds' }, ['Events by kind: ']);
  for (const [kind, n] of Object.entries(summary.eventsByKind)) {
    const badge = el('span', { className: `kind-badge kind-${kind}`, text: `${kind} ${fmtInt(n)}` });
    box.append(badge, ' ');
  }
  return box;
}

const COLUMNS: { label: string; width: string; cell(r: PreviewRow): HTMLElement | string }[] = [
  { label: 'Line', width: '60px', cell: (r) => lineLink(r.fileIndex, r.line, `${current ? fileLabel(current, r.fileIndex) : ''}${r.line}`) },
  { label: 'Time (UTC)', width: '160px', cell: (r) => el('span', { text: fmtUtc(r.ts), title: fmtLocal(r.ts) }) },
  { label: 'Kind', width: '80px', cell: (r) => el('span', { className: `kind-badge kind-${r.kind}`, text: r.kind }) },
  { label: 'Type', width: '170px', cell: (r) => el('span', { text: r.type, title: r.type }) },
  { label: 'Session', width: '110px', cell: (r) => (r.sessionId ? sessionLink(r.sessionId, r.rowid) : '—') },
  { label: 'User', width: '90px', cell: (r) => r.userId ?? '—' },
  { label: 'Model', width: '130px', cell: (r) => r.model ?? '—' },
  {
    label: 'Tokens in / out',
    width: '105px',
    cell: (r) => (r.inputTokens === null && r.outputTokens === null ? '—' : `${fmtInt(r.inputTokens)} / ${fmtInt(r.outputTokens)}`),
  },
  { label: 'Cost', width: '75px', cell: (r) => fmtUsd(r.costUsd) },
  { label: 'Status', width: '60px', cell: (r) => r.status ?? '—' },
  { label: 'Prompt or event', width: 'auto', cell: (r) => el('span', { className: 'text-cell', text: r.text ?? '', title: r.text ?? '' }) },
];

function renderTable(rows: PreviewRow[]): HTMLElement {
  const table = document.createElement('vscode-table');
  table.setAttribute('zebra', '');
  table.setAttribute('bordered-columns', '');
  table.setAttribute('resizable', '');
  const widths = COLUMNS.map((c) => c.width);
  if (current && current.files.length > 1) widths[0] = '190px'; // "file.jsonl:12"
  table.setAttribute('columns', JSON.stringify(widths));
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
    row.dataset.rowid = String(r.rowid);
    row.tabIndex = 0;
    row.title = 'Show this event (Enter)';
    const open = () => {
      body.querySelectorAll('vscode-table-row.selected').forEach((n) => n.classList.remove('selected'));
      row.classList.add('selected');
      postToHost({ type: 'showEvent', rowid: r.rowid });
    };
    row.addEventListener('click', open);
    row.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') open();
      else if (e.key === 'ArrowDown') (row.nextElementSibling as HTMLElement | null)?.focus();
      else if (e.key === 'ArrowUp') (row.previousElementSibling as HTMLElement | null)?.focus();
      else return;
      e.preventDefault();
    });
    for (const c of COLUMNS) {
      const cell = document.createElement('vscode-table-cell');
      const content = c.cell(r);
      cell.append(typeof content === 'string' ? el('span', { text: content }) : content);
      row.append(cell);
    }
    body.append(row);
  }
  table.append(header, body);
  return table;
}

function renderLoaded(summary: LoadSummary, rows: PreviewRow[], matching: number, filter: EventFilter, choices: FilterChoices, annotations: Record<string, string>): void {
  current = summary;
  const span = summary.firstTs ? `${fmtUtc(summary.firstTs)} → ${fmtUtc(summary.lastTs)}` : '—';
  const costNote = `${fmtInt(summary.loggedCostCalls)} calls with a logged cost, ${fmtInt(summary.pricedCalls)} priced from the price table of ${summary.prices.date}` +
    (summary.unpricedCalls ? `, ${fmtInt(summary.unpricedCalls)} unpriced (${summary.unpricedModels.join(', ')}): not counted` : '');
  const costStat = stat(summary.unpricedCalls ? 'Cost (excl. unpriced)' : 'Cost', fmtUsd(summary.costUsd), { warn: summary.unpricedCalls > 0 });
  costStat.title = `${costNote}. Prices: ${summary.prices.source}.`;
  costStat.id = 'stat-cost';
  const stats = el('section', { className: 'stats' }, [
    stat('Records read', fmtInt(summary.records)),
    stat('Skipped lines', fmtInt(summary.skipped), { warn: summary.skipped > 0 }),
    stat('Events', fmtInt(summary.events)),
    stat('Sessions', fmtInt(summary.sessions)),
    stat('Users', fmtInt(summary.users)),
    stat('Models', fmtInt(summary.models)),
    stat('Tokens in / out', `${fmtInt(summary.inputTokens)} / ${fmtInt(summary.outputTokens)}`),
    costStat,
    stat('Errors', fmtInt(summary.errors), { warn: summary.errors > 0 }),
    stat('Flagged', fmtInt(summary.flagged), { warn: summary.flagged > 0 }),
  ]);
  stats.id = 'stats';
  const detail = el('section', { className: 'detail' });
  detail.id = 'detail';
  detail.hidden = true;
  const charts = document.createElement('vscode-button');
  charts.id = 'open-charts';
  charts.textContent = 'Token and cost charts';
  charts.addEventListener('click', () => postToHost({ type: 'openCharts' }));
  const verify = document.createElement('vscode-button');
  verify.id = 'verify-integrity';
  verify.setAttribute('secondary', '');
  verify.textContent = 'Verify integrity';
  verify.addEventListener('click', () => postToHost({ type: 'verifyIntegrity' }));
  const filtered = Object.keys(filter).length > 0;
  const heading = filtered
    ? `${fmtInt(matching)} of ${fmtInt(summary.events)} events match the filter${rows.length < matching ? `; the first ${fmtInt(rows.length)}` : ''}, in time order`
    : rows.length < summary.events
      ? `First ${fmtInt(rows.length)} of ${fmtInt(summary.events)} events, in time order`
      : `All ${fmtInt(rows.length)} events, in time order`;
  const children: (HTMLElement | null)[] = [
    el('h1', { text: summary.title }),
    renderFiles(summary),
    el('p', { className: 'muted', text: `Time span (UTC): ${span} · loaded in ${fmtInt(summary.elapsedMs)} ms` }),
    stats,
    el('p', { className: 'muted cost-note', text: `Cost: ${costNote}.` }),
    summary.events ? renderKinds(summary) : null,
    Object.keys(annotations).length
      ? el('ul', { className: 'annotations' }, Object.entries(annotations).map(([k, v]) => el('li', {}, [el('strong', { text: `${k}: ` }), v])))
      : null,
    el('div', { className: 'view-links' }, [charts, verify, el('span', { className: 'muted', text: ' Sessions: click a session id, or use the AI Audit Lens view in the activity bar.' })]),
    renderSkipped(summary),
    renderFilterBar(filter, choices, (f) => postToHost({ type: 'setFilter', filter: f })),
    detail,
    el('h2', { text: heading }),
    rows.length ? renderTable(rows) : el('p', { className: 'muted', text: filtered ? 'No event matches the filter.' : 'This export holds no events.' }),
  ];
  app.replaceChildren(...children.filter((c): c is HTMLElement => c !== null));
  app.dataset.state = 'loaded';
  delete app.dataset.title;
}

function onMessage(msg: ToOverview): void {
  switch (msg.type) {
    case 'loading':
      return renderLoading(msg.title, msg.progress, msg.firstRows);
    case 'loaded':
      return renderLoaded(msg.summary, msg.rows, msg.matching, msg.filter, msg.choices, msg.annotations);
    case 'failed':
      return renderFailed(msg.title, msg.message);
    case 'event': {
      const detail = document.getElementById('detail');
      if (!detail) return;
      renderEventDetail(
        detail,
        msg.event,
        msg.source,
        (line) => postToHost({ type: 'revealLine', fileIndex: msg.event?.provenance.fileIndex ?? 0, line }),
        () => postToHost({ type: 'goToSource', rowid: msg.rowid }),
      );
      detail.hidden = false;
      detail.scrollIntoView({ block: 'nearest' });
      return;
    }
    default:
      assertNever(msg);
  }
}

onHostMessage<ToOverview>(onMessage);
postToHost({ type: 'ready' });
