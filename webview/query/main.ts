// The query console: an editor for read-only SQL or a JSONPath filter, with completion of table and column names,
// a schema browser, history and saved queries, and a virtualized, sortable results grid (only the visible rows
// are in the DOM). Every value from the log is set as text.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import type { JsonPathResult, ReadOnlyResult, SavedQuery, SchemaTable, ToQuery } from '../../src/shared/protocol';
import { el, fmtInt } from '../common/text';
import { onHostMessage, postToHost } from '../common/vscodeApi';

const app = document.getElementById('app')!;
const ROW = 22;
let words: string[] = [];
let mode: 'sql' | 'jsonpath' = 'sql';
let columns: string[] = [];
let rows: unknown[][] = [];
let sortBy = -1;
let sortDesc = false;
let lastSql = '';
let rowids: number[] = [];

const editor = el('textarea', { className: 'query-editor' });
editor.id = 'query-text';
editor.spellcheck = false;
editor.rows = 6;
editor.value = "SELECT kind, count(*) AS events, sum(input_tokens) AS tokens_in, round(sum(cost), 4) AS cost\nFROM events GROUP BY kind ORDER BY events DESC";
const suggest = el('ul', { className: 'suggest' });
suggest.hidden = true;
const status = el('p', { className: 'muted' });
status.id = 'query-status';
const grid = el('div', { className: 'grid' });
grid.id = 'grid';
const lists = el('div', { className: 'query-lists' });
const schemaBox = el('div', { className: 'schema' });

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : JSON.stringify(v);
}

/** Renders only the rows in view (plus a margin) inside a spacer as tall as all rows. */
function renderGrid(): void {
  const head = el('div', { className: 'grid-row grid-head' });
  columns.forEach((c, i) => {
    const h = el('div', { className: 'grid-cell', text: `${c}${sortBy === i ? (sortDesc ? ' ▼' : ' ▲') : ''}`, title: 'Sort by this column' });
    h.addEventListener('click', () => {
      sortDesc = sortBy === i ? !sortDesc : false;
      sortBy = i;
      const dir = sortDesc ? -1 : 1;
      rows.sort((a, b) => {
        const x = a[i];
        const y = b[i];
        if (typeof x === 'number' && typeof y === 'number') return (x - y) * dir;
        return cellText(x).localeCompare(cellText(y)) * dir;
      });
      renderGrid();
    });
    head.append(h);
  });
  const body = el('div', { className: 'grid-body' });
  const spacer = el('div', { className: 'grid-spacer' });
  spacer.style.height = `${rows.length * ROW}px`;
  body.append(spacer);
  const paint = () => {
    const first = Math.max(0, Math.floor(body.scrollTop / ROW) - 10);
    const last = Math.min(rows.length, first + Math.ceil(body.clientHeight / ROW) + 20);
    const frag = document.createDocumentFragment();
    for (let r = first; r < last; r++) {
      const line = el('div', { className: 'grid-row' });
      line.style.top = `${r * ROW}px`;
      for (const v of rows[r]) line.append(el('div', { className: 'grid-cell', text: cellText(v), title: cellText(v) }));
      frag.append(line);
    }
    spacer.replaceChildren(frag);
  };
  body.addEventListener('scroll', paint);
  grid.replaceChildren(head, body);
  const template = `repeat(${Math.max(1, columns.length)}, minmax(120px, 1fr))`;
  head.style.gridTemplateColumns = template;
  grid.style.setProperty('--cols', template);
  requestAnimationFrame(paint);
}

function showSql(r: ReadOnlyResult): void {
  columns = r.columns;
  rows = r.rows;
  sortBy = -1;
  const idCol = columns.findIndex((c) => c.toLowerCase() === 'rowid');
  rowids = idCol >= 0 ? rows.map((x) => Number(x[idCol])).filter(Number.isInteger) : [];
  status.textContent = `${fmtInt(rows.length)} rows${r.truncated ? ' (more exist: refine the query)' : ''} in ${fmtInt(Math.round(r.elapsedMs))} ms${idCol < 0 ? ' · select the rowid column to use the result as a filter' : ''}`;
  renderGrid();
}

function showJsonPath(r: JsonPathResult): void {
  columns = ['file', 'line', 'values'];
  rows = r.matches.map((m) => [m.fileIndex, m.line, m.values]);
  rowids = r.matches.flatMap((m) => m.rowids ?? []);
  status.textContent = `${fmtInt(r.count)} of ${fmtInt(r.recordsScanned)} records match${r.truncated ? `; the first ${fmtInt(r.matches.length)} are listed` : ''} (${fmtInt(Math.round(r.elapsedMs))} ms)`;
  renderGrid();
}

function lastWord(): { word: string; start: number } {
  const upto = editor.value.slice(0, editor.selectionStart);
  const m = /[A-Za-z_][A-Za-z0-9_]*$/.exec(upto);
  return m ? { word: m[0], start: upto.length - m[0].length } : { word: '', start: upto.length };
}

function accept(word: string): void {
  const { start } = lastWord();
  const end = editor.selectionStart;
  editor.value = editor.value.slice(0, start) + word + editor.value.slice(end);
  editor.selectionStart = editor.selectionEnd = start + word.length;
  suggest.hidden = true;
  editor.focus();
}

function updateSuggestions(): void {
  const { word } = lastWord();
  if (mode !== 'sql' || word.length < 2) {
    suggest.hidden = true;
    return;
  }
  const found = words.filter((w) => w.toLowerCase().startsWith(word.toLowerCase()) && w.toLowerCase() !== word.toLowerCase()).slice(0, 8);
  suggest.replaceChildren(...found.map((w, i) => {
    const li = el('li', { text: w, className: i === 0 ? 'active' : '' });
    li.addEventListener('mousedown', (e) => {
      e.preventDefault();
      accept(w);
    });
    return li;
  }));
  suggest.hidden = found.length === 0;
}

function run(): void {
  lastSql = editor.value;
  status.textContent = 'Running…';
  postToHost({ type: 'run', mode, text: editor.value });
}

editor.addEventListener('input', updateSuggestions);
editor.addEventListener('keydown', (e) => {
  if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
    e.preventDefault();
    run();
  } else if (!suggest.hidden && (e.key === 'Tab' || e.key === 'Enter')) {
    const first = suggest.querySelector('li');
    if (first) {
      e.preventDefault();
      accept(first.textContent ?? '');
    }
  } else if (e.key === 'Escape') suggest.hidden = true;
});

function renderLists(history: SavedQuery[], saved: SavedQuery[]): void {
  const item = (q: SavedQuery, label: string) => {
    const a = el('a', { className: 'line-link', text: label, title: q.text });
    a.setAttribute('href', '#');
    a.addEventListener('click', (e) => {
      e.preventDefault();
      mode = q.mode;
      (document.getElementById('mode') as HTMLElement & { value: string }).value = q.mode;
      editor.value = q.text;
    });
    return el('li', {}, [a]);
  };
  lists.replaceChildren(
    el('h3', { text: 'Saved' }),
    el('ul', {}, saved.length ? saved.map((q) => item(q, `${q.name} (${q.mode})`)) : [el('li', { className: 'muted', text: 'none yet' })]),
    el('h3', { text: 'History' }),
    el('ul', {}, history.slice(0, 15).map((q) => item(q, q.text.replace(/\s+/g, ' ').slice(0, 60)))),
  );
}

function renderSchema(schema: SchemaTable[]): void {
  schemaBox.replaceChildren(
    el('h3', { text: 'Tables' }),
    ...schema.map((t) => {
      const d = document.createElement('details');
      d.append(el('summary', { text: `${t.name}${t.rows !== null ? ` (${fmtInt(t.rows)})` : ''}` }), el('ul', {}, t.columns.map((c) => el('li', { text: `${c.name} ${c.type}` }))));
      return d;
    }),
  );
}

function button(label: string, id: string, onClick: () => void, secondary = true): HTMLElement {
  const b = document.createElement('vscode-button');
  b.id = id;
  if (secondary) b.setAttribute('secondary', '');
  b.textContent = label;
  b.addEventListener('click', onClick);
  return b;
}

function init(msg: Extract<ToQuery, { type: 'queryInit' }>): void {
  words = msg.words;
  const modeSel = document.createElement('vscode-single-select') as HTMLElement & { value: string };
  modeSel.id = 'mode';
  for (const [v, t] of [['sql', 'SQL (read-only)'], ['jsonpath', 'JSONPath over raw records']]) {
    const o = document.createElement('vscode-option');
    o.setAttribute('value', v);
    o.textContent = t;
    modeSel.append(o);
  }
  modeSel.addEventListener('change', () => {
    mode = modeSel.value as 'sql' | 'jsonpath';
    if (mode === 'jsonpath' && !editor.value.trim().startsWith('$')) editor.value = '$[?(@.latency_ms > 5000)]';
  });
  const actions = el('div', { className: 'view-links' }, [
    button('Run (Ctrl+Enter)', 'run', run, false),
    button('Save…', 'save', () => postToHost({ type: 'saveQuery', mode, text: editor.value })),
    button('Use as filter', 'use-filter', () => postToHost({ type: 'useAsFilter', rowids, label: editor.value.slice(0, 60) })),
    button('Export result…', 'export', () => postToHost({ type: 'exportResult', sql: lastSql })),
    button('Evidence bundle…', 'bundle', () => postToHost({ type: 'evidenceBundle', selection: mode === 'sql' ? { sql: lastSql } : { jsonPath: editor.value } })),
  ]);
  app.replaceChildren(
    el('h1', { text: `Query: ${msg.title}` }),
    el('div', { className: 'query-layout' }, [
      el('div', { className: 'query-main' }, [modeSel, el('div', { className: 'editor-wrap' }, [editor, suggest]), actions, status, grid]),
      el('aside', { className: 'query-side' }, [schemaBox, lists]),
    ]),
  );
  renderSchema(msg.schema);
  renderLists(msg.history, msg.saved);
  app.dataset.state = 'loaded';
}

onHostMessage<ToQuery>((msg) => {
  switch (msg.type) {
    case 'queryInit':
      return init(msg);
    case 'queryResult':
      app.dataset.result = 'ok';
      return msg.mode === 'sql' ? showSql(msg.result) : showJsonPath(msg.result);
    case 'queryError':
      app.dataset.result = 'error';
      status.textContent = '';
      grid.replaceChildren(el('div', { className: 'error-box', text: msg.message }));
      return;
    case 'queryLists':
      return renderLists(msg.history, msg.saved);
  }
});
postToHost({ type: 'ready' });
