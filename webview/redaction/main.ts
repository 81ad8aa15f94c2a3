// Redaction preview: what the detectors found (by type, with include/ignore and an allowlist), the records that
// hold findings, and one record original vs redacted, findings highlighted. All log text is set as text.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import type { PiiFinding, RedactionMode, ToRedaction } from '../../src/shared/protocol';
import { el, fmtInt, makeVisible } from '../common/text';
import { onHostMessage, postToHost } from '../common/vscodeApi';

const app = document.getElementById('app')!;
let state: Extract<ToRedaction, { type: 'piiScan' }> | undefined;

/** The text with the findings' spans wrapped in <mark>, built with text nodes only. */
function highlighted(text: string, findings: PiiFinding[]): HTMLElement {
  const pre = el('pre', { className: 'message-text side' });
  const spans = findings.filter((f) => f.start !== undefined).sort((a, b) => a.start! - b.start!);
  let at = 0;
  for (const f of spans) {
    if (f.start! < at) continue;
    pre.append(document.createTextNode(makeVisible(text.slice(at, f.start))));
    pre.append(el('mark', { text: text.slice(f.start, f.end), title: `${f.type} (${f.confidence.toFixed(2)}) at ${f.path}` }));
    at = f.end!;
  }
  pre.append(document.createTextNode(makeVisible(text.slice(at))));
  return pre;
}

function options(s: NonNullable<typeof state>): HTMLElement {
  const types = el('div', { className: 'type-list' });
  for (const t of s.allTypes) {
    const box = document.createElement('vscode-checkbox') as HTMLElement & { checked: boolean };
    box.setAttribute('label', `${t}${s.scan?.byType[t] ? ` (${fmtInt(s.scan.byType[t])})` : ''}`);
    box.dataset.type = t;
    if (s.enabledTypes.includes(t)) box.setAttribute('checked', '');
    types.append(box);
  }
  const mode = document.createElement('vscode-single-select') as HTMLElement & { value: string };
  mode.id = 'mode';
  for (const [v, label] of [['tag', 'Type tags [EMAIL_1]'], ['mask', 'Mask ****'], ['partial', 'Partial (last 4)'], ['pseudonym', 'Consistent pseudonyms (HMAC)']]) {
    const o = document.createElement('vscode-option');
    o.setAttribute('value', v);
    o.textContent = label;
    if (v === s.mode) o.setAttribute('selected', '');
    mode.append(o);
  }
  const allow = document.createElement('vscode-textarea') as HTMLElement & { value: string };
  allow.id = 'allowlist';
  allow.setAttribute('placeholder', 'Allowlist: values never reported, one per line (e.g. support@acme.example)');
  allow.setAttribute('rows', '3');
  allow.value = s.allowlist.join('\n');
  const apply = document.createElement('vscode-button');
  apply.id = 'apply';
  apply.textContent = 'Apply and scan again';
  apply.addEventListener('click', () => {
    const chosen = [...types.querySelectorAll<HTMLElement & { checked: boolean }>('vscode-checkbox')].filter((b) => b.checked).map((b) => b.dataset.type!);
    postToHost({ type: 'setOptions', types: chosen, mode: mode.value as RedactionMode, allowlist: allow.value.split('\n') });
  });
  const exportCopy = document.createElement('vscode-button');
  exportCopy.id = 'export-copy';
  exportCopy.setAttribute('secondary', '');
  exportCopy.textContent = 'Export Redacted Copy…';
  exportCopy.addEventListener('click', () => postToHost({ type: 'exportCopy' }));
  return el('section', { className: 'redaction-options' }, [el('h2', { text: 'Types (include or ignore)' }), types, el('div', { className: 'filter-bar' }, [el('span', { text: 'Mode' }), mode]), allow, el('div', { className: 'view-links' }, [apply, exportCopy])]);
}

function recordsList(findings: PiiFinding[]): HTMLElement {
  const byRecord = new Map<string, PiiFinding[]>();
  for (const f of findings) {
    const k = `${f.fileIndex}:${f.line}`;
    byRecord.set(k, [...(byRecord.get(k) ?? []), f]);
  }
  const table = el('table', { className: 'simple' });
  table.id = 'pii-records';
  table.append(el('tr', {}, ['Line', 'Findings', 'Where'].map((h) => el('th', { text: h }))));
  for (const [, list] of byRecord) {
    const f0 = list[0];
    const link = el('a', { className: 'line-link', text: String(f0.line), title: 'Preview this record redacted' });
    link.setAttribute('href', '#');
    link.addEventListener('click', (e) => {
      e.preventDefault();
      postToHost({ type: 'previewRecord', fileIndex: f0.fileIndex, line: f0.line });
    });
    table.append(
      el('tr', {}, [
        el('td', {}, [link]),
        el('td', { text: list.map((f) => `${f.type} ${f.masked} (${f.confidence.toFixed(2)})`).join(', ') }),
        el('td', { text: [...new Set(list.map((f) => `${f.scope}: ${f.path}`))].join(', ') }),
      ]),
    );
  }
  return table;
}

function render(): void {
  const s = state;
  if (!s) return;
  const parts: HTMLElement[] = [el('h1', { text: `Redaction preview: ${s.title}` })];
  if (s.running) parts.push(document.createElement('vscode-progress-bar'), el('p', { className: 'muted', text: 'Scanning…' }));
  if (s.error) parts.push(el('div', { className: 'error-box', text: s.error }));
  if (s.scan) {
    const sc = s.scan;
    parts.push(
      el('p', { className: 'summary-line', text: `${fmtInt(sc.total)} values in ${fmtInt(sc.recordsWithFindings)} of ${fmtInt(sc.records)} records: ${Object.entries(sc.byType).map(([t, n]) => `${t} ${fmtInt(n)}`).join(', ') || 'nothing found'}.` }),
      el('p', { className: 'muted', text: `By scope: ${Object.entries(sc.byScope).map(([t, n]) => `${t} ${fmtInt(n)}`).join(', ') || '—'}. Sessions with findings: ${fmtInt(Object.keys(sc.bySession).length)}.${sc.truncated ? ` The first ${fmtInt(sc.findings.length)} findings are listed.` : ''}` }),
    );
  }
  parts.push(options(s));
  const preview = el('section', { className: 'detail' });
  preview.id = 'pii-preview';
  preview.hidden = true;
  parts.push(preview);
  if (s.scan?.findings.length) parts.push(el('h2', { text: 'Records with findings (click a line to preview it)' }), recordsList(s.scan.findings));
  app.replaceChildren(...parts);
  app.dataset.state = s.running ? 'running' : 'loaded';
}

function renderPreview(p: Extract<ToRedaction, { type: 'piiPreview' }>): void {
  const box = document.getElementById('pii-preview');
  if (!box) return;
  const reveal = el('a', { className: 'line-link', text: `line ${p.line}` });
  reveal.setAttribute('href', '#');
  reveal.addEventListener('click', (e) => {
    e.preventDefault();
    postToHost({ type: 'revealLine', fileIndex: p.fileIndex, line: p.line });
  });
  box.replaceChildren(
    el('h2', {}, ['Record at ', reveal, `: original and redacted (${p.mode === 'pseudonym' ? 'shown as type tags; the copy uses pseudonyms' : p.mode})`]),
    el('div', { className: 'side-by-side' }, [
      el('div', {}, [el('h3', { text: 'Original' }), highlighted(p.original, p.findings)]),
      el('div', {}, [el('h3', { text: 'Redacted' }), el('pre', { className: 'message-text side', text: p.redacted })]),
    ]),
  );
  box.hidden = false;
  box.scrollIntoView({ block: 'start' });
}

onHostMessage<ToRedaction>((msg) => {
  if (msg.type === 'piiScan') {
    state = msg;
    render();
  } else renderPreview(msg);
});
postToHost({ type: 'ready' });
