// The integrity report: the verdict first, then every finding with its class, severity and line, then what the
// verdict rests on (profile, export SHA-256, keys, checkpoints, Merkle root). Log content in messages is text.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import type { IntegrityReport, ToIntegrity } from '../../src/shared/protocol';
import { el, fmtInt } from '../common/text';
import { onHostMessage, postToHost } from '../common/vscodeApi';

const app = document.getElementById('app')!;

const VERDICT: Record<IntegrityReport['verdict'], { label: string; className: string }> = {
  verified: { label: 'Verified: the chain is complete and unmodified', className: 'verdict-ok' },
  partial: { label: 'Partial chain: verified from where this export starts', className: 'verdict-ok' },
  tampered: { label: 'Tampered', className: 'verdict-bad' },
  unverifiable: { label: 'Unverifiable', className: 'verdict-warn' },
  'no-chain': { label: 'No hash chain in this export', className: 'verdict-warn' },
};

function button(label: string, id: string, onClick: () => void, secondary = true): HTMLElement {
  const b = document.createElement('vscode-button');
  b.id = id;
  if (secondary) b.setAttribute('secondary', '');
  b.textContent = label;
  b.addEventListener('click', onClick);
  return b;
}

function facts(r: IntegrityReport): HTMLElement {
  const rows: [string, string][] = [
    ['Export SHA-256', r.exportSha256 ?? '—'],
    ['Profile', r.profile ? `${r.profile.name} (${r.profileChoice.source === 'auto' ? 'detected' : 'configured'}: ${r.profileChoice.reason})` : `— (${r.profileChoice.reason})`],
    ['Records', `${fmtInt(r.records.chain)} chain records, ${fmtInt(r.records.hashesMatched)} hashes matched, ${fmtInt(r.records.checkpoints)} checkpoints, ${fmtInt(r.records.skippedLines)} unreadable lines`],
    ['Sequence numbers', r.sequence],
    ['Last verified checkpoint', r.lastVerifiedCheckpoint ? `line ${r.lastVerifiedCheckpoint.line}: ${fmtInt(r.lastVerifiedCheckpoint.recordCount)} records, ${r.lastVerifiedCheckpoint.alg}, key ${r.lastVerifiedCheckpoint.keyFingerprint ?? '—'}` : '—'],
    ['Digest file', `${r.digest.path ?? '—'} (${r.digest.status})`],
    ['Merkle root (RFC 6962)', r.merkle ? `${r.merkle.root} over ${fmtInt(r.merkle.treeSize)} records` : 'not computed: nothing in this log needs it (no checkpoint, digest or inclusion proof), and a log this large is verified without it'],
    ['Public keys', r.keys.publicKeys.length ? r.keys.publicKeys.map((k) => `${k.fingerprint} (${k.alg ?? '?'}, ${k.source})`).join('\n') : 'none'],
    ['HMAC key', r.keys.hmacKey ? `fingerprint ${r.keys.hmacKey}` : 'none'],
    ['Verified at', `${r.verifiedAt} in ${fmtInt(Math.round(r.elapsedMs))} ms`],
  ];
  const dl = el('dl', { className: 'facts' });
  for (const [k, v] of rows) dl.append(el('dt', { text: k }), el('dd', { text: v }));
  return dl;
}

function findings(r: IntegrityReport): HTMLElement {
  const table = el('table', { className: 'simple findings' });
  table.id = 'findings';
  table.append(el('tr', {}, ['Class', 'Severity', 'Line', 'Seq', 'Record', 'Finding'].map((h) => el('th', { text: h }))));
  for (const f of r.findings) {
    const line = el('a', { className: 'line-link', text: f.line ? String(f.line) : '—', title: f.line ? `Reveal line ${f.line} in the export` : '' });
    if (f.line) {
      line.setAttribute('href', '#');
      line.addEventListener('click', (e) => {
        e.preventDefault();
        const fileIndex = f.file ? Math.max(0, r.files.findIndex((x) => x.path === f.file)) : 0;
        postToHost({ type: 'revealLine', fileIndex, line: f.line });
      });
    }
    const detail = [f.message, f.expected ? `expected ${f.expected}` : '', f.actual ? `found ${f.actual}` : ''].filter(Boolean).join('\n');
    table.append(
      el('tr', { className: `sev-${f.severity}` }, [
        el('td', {}, [el('span', { className: `class-badge class-${f.class}`, text: f.class })]),
        el('td', { text: f.severity }),
        el('td', {}, [line]),
        el('td', { text: f.seq !== undefined ? String(f.seq) : '' }),
        el('td', { text: f.recordId ?? '' }),
        el('td', { className: 'finding-text', text: detail }),
      ]),
    );
  }
  return table;
}

function render(msg: ToIntegrity): void {
  const r = msg.report;
  const parts: HTMLElement[] = [el('h1', { text: `Integrity: ${msg.title}` })];
  if (msg.running) parts.push(document.createElement('vscode-progress-bar'), el('p', { className: 'muted', text: 'Verifying…' }));
  if (msg.error) parts.push(el('div', { className: 'error-box', text: msg.error }));
  if (!r) {
    if (!msg.running) parts.push(el('p', { className: 'muted', text: 'Not verified yet.' }), button('Verify', 'verify', () => postToHost({ type: 'verifyAgain' }), false));
    app.replaceChildren(...parts);
    app.dataset.state = msg.running ? 'running' : 'empty';
    return;
  }
  const v = VERDICT[r.verdict];
  const counts = Object.entries(r.counts.byClass).filter(([, n]) => n > 0).map(([c, n]) => `${c} ${fmtInt(n)}`).join(' · ');
  parts.push(
    el('div', { className: `verdict ${v.className}` }, [el('div', { className: 'verdict-label', text: v.label }), el('div', { text: r.summary })]),
    el('p', { className: 'muted', text: `${fmtInt(r.counts.findings)} findings${counts ? `: ${counts}` : ''}${r.counts.omitted ? ` (the first ${fmtInt(r.findings.length)} are listed)` : ''}.` }),
    el('div', { className: 'view-links' }, [
      button('Verify again', 'verify', () => postToHost({ type: 'verifyAgain' }), false),
      button('Export JSON report…', 'export-json', () => postToHost({ type: 'exportReport', format: 'json' })),
      button('Export Markdown report…', 'export-md', () => postToHost({ type: 'exportReport', format: 'markdown' })),
    ]),
  );
  if (r.findings.length) parts.push(el('h2', { text: 'Findings' }), findings(r));
  parts.push(el('h2', { text: 'What the verdict rests on' }), facts(r));
  app.replaceChildren(...parts);
  app.dataset.state = msg.running ? 'running' : 'loaded';
  app.dataset.verdict = r.verdict;
}

onHostMessage<ToIntegrity>(render);
postToHost({ type: 'ready' });
