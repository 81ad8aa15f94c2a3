// Renderings of an IntegrityReport: JSON (the report as data), Markdown (for a ticket or an audit file) and plain
// text (the CLI's default). Pure functions returning strings. Findings quote log content (record ids, hash values,
// messages naming fields), so Markdown escapes every cell: no raw HTML, no links, no table breakage can come from
// the log.
import type { Finding, Verdict } from './findings';
import type { IntegrityReport } from './reportTypes';

export function reportToJson(report: IntegrityReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}

const VERDICT_LABEL: Record<Verdict, string> = {
  verified: '✅ Verified',
  partial: '🟡 Partial chain (verified from where the export starts)',
  tampered: '❌ Tampered',
  unverifiable: '⚠️ Unverifiable',
  'no-chain': '⚠️ No hash chain',
};

const MAX_CELL = 400;

/**
 * Text for a Markdown table cell or line: HTML special characters become entities, the Markdown punctuation that
 * could start a link, an image, emphasis, code or a column break is backslash-escaped, line breaks and other control
 * characters become visible marks, and very long text is cut.
 */
export function escapeMarkdown(text: string): string {
  let t = text.length > MAX_CELL ? text.slice(0, MAX_CELL) + '…' : text;
  t = t.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ⏎ ').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '�').replace(/\t/g, ' ');
  t = t.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
  return t.replace(/[\\`*_[\]|~!]/g, (c) => '\\' + c);
}

/** A value in a code span when it is plainly a hash, key id or path; escaped text otherwise. */
function code(text: string | null | undefined): string {
  if (text === null || text === undefined || text === '') return '—';
  return /^[A-Za-z0-9+/=_:.@-]{1,200}$/.test(text) ? '`' + text + '`' : escapeMarkdown(text);
}

function where(f: Finding): string {
  if (f.line === 0) return 'whole log';
  return f.file ? `${escapeMarkdown(f.file)}:${f.line}` : String(f.line);
}

export function reportToMarkdown(report: IntegrityReport): string {
  const r = report;
  const out: string[] = [];
  const title = r.files.length === 1 ? r.files[0].path.split(/[\\/]/).pop() ?? r.files[0].path : `${r.files.length} files`;
  out.push(`# Integrity report: ${escapeMarkdown(title)}`, '');
  out.push(`**Verdict: ${VERDICT_LABEL[r.verdict]}**`, '', escapeMarkdown(r.summary), '');
  const rows: [string, string][] = [];
  for (const f of r.files) {
    rows.push(['Export', `${escapeMarkdown(f.path)} (${escapeMarkdown(f.format)}${f.compressed ? ', gzip' : ''}, ${f.bytes} bytes)`]);
    rows.push(['SHA-256 of the export', code(f.sha256)]);
  }
  rows.push(['Profile', r.profile ? `${code(r.profile.name)} (${r.profile.encoding}) — ${escapeMarkdown(r.profileChoice.reason)}` : escapeMarkdown(r.profileChoice.reason)]);
  rows.push([
    'Records',
    `${r.records.chain} chain records, ${r.records.hashesMatched} with a matching hash; ${r.records.checkpoints} checkpoint records; ${r.records.skippedLines} skipped line(s); sequence: ${r.sequence}`,
  ]);
  if (r.merkle) rows.push(['Merkle root (RFC 6962)', `${code(r.merkle.root)} over ${r.merkle.treeSize} leaves`]);
  const c = r.checkpoints;
  rows.push(['Checkpoints', `${c.total} total: ${c.verified} verified, ${c.consistent} consistent (signature not checked), ${c.badSignature} bad signature, ${c.mismatched} mismatched, ${c.explained} explained by findings`]);
  const lv = r.lastVerifiedCheckpoint;
  rows.push([
    'Last verified checkpoint',
    lv ? `${lv.kind === 'digest' ? 'digest file' : `line ${lv.line}`}: ${lv.recordCount} records, last hash ${code(lv.lastHash)}, ${escapeMarkdown(lv.alg)} key ${code(lv.keyFingerprint)}${lv.ts ? `, signed ${code(lv.ts)}` : ''}` : 'none',
  ]);
  rows.push(['Digest file', r.digest.path ? `${escapeMarkdown(r.digest.path)}: ${r.digest.status}` : 'not given']);
  const p = r.inclusionProofs;
  if (p.total > 0) rows.push(['Inclusion proofs', `${p.total}: ${p.verified} verified, ${p.consistent} consistent, ${p.failed} failed, ${p.unchecked} unchecked`]);
  const keys = r.keys.publicKeys.map((k) => `${escapeMarkdown(k.alg ?? 'unusable')} ${code(k.fingerprint)}`);
  if (r.keys.hmacKey) keys.push(`HMAC key ${code(r.keys.hmacKey)}`);
  rows.push(['Key fingerprints (SHA-256)', keys.length > 0 ? keys.join('; ') : 'none given']);
  rows.push(['Verified at', `${code(r.verifiedAt)} in ${r.elapsedMs} ms`]);
  out.push('| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`), '');

  const bc = r.counts.byClass;
  const nonZero = Object.entries(bc).filter(([, n]) => n > 0);
  out.push(`## Findings (${r.counts.findings})`, '');
  if (r.counts.findings === 0) {
    out.push('None.', '');
  } else {
    out.push(nonZero.map(([k, n]) => `${escapeMarkdown(k)}: ${n}`).join(' · '), '');
    out.push('| # | Severity | Class | Line | Seq | Record | Message | Expected | Actual |', '|---|---|---|---|---|---|---|---|---|');
    r.findings.forEach((f, i) => {
      out.push(
        `| ${i + 1} | ${f.severity} | ${escapeMarkdown(f.class)} | ${where(f)} | ${f.seq ?? ''} | ${f.recordId ? escapeMarkdown(f.recordId) : ''} | ${escapeMarkdown(f.message)} | ${f.expected ? code(f.expected) : ''} | ${f.actual ? code(f.actual) : ''} |`,
      );
    });
    if (r.counts.omitted > 0) out.push('', `${r.counts.omitted} more finding(s) not listed.`);
    out.push('');
  }
  return out.join('\n');
}

/** The CLI's plain-text rendering. */
export function reportToText(report: IntegrityReport): string {
  const r = report;
  const lines = [r.summary];
  for (const f of r.files) lines.push(`  ${f.path}  sha256 ${f.sha256 ?? '-'}`);
  if (r.profile) lines.push(`  profile ${r.profile.name} (${r.profile.encoding}): ${r.profileChoice.reason}`);
  if (r.merkle) lines.push(`  merkle root ${r.merkle.root} (${r.merkle.treeSize} leaves)`);
  const lv = r.lastVerifiedCheckpoint;
  if (lv) lines.push(`  last verified ${lv.kind}: ${lv.line ? `line ${lv.line}, ` : ''}${lv.recordCount} records, key ${lv.keyFingerprint}`);
  for (const k of r.keys.publicKeys) lines.push(`  public key ${k.fingerprint} (${k.alg ?? 'unusable type'})`);
  if (r.keys.hmacKey) lines.push(`  hmac key ${r.keys.hmacKey}`);
  if (r.findings.length > 0) lines.push('', 'Findings:');
  for (const f of r.findings) {
    const at = f.line === 0 ? 'log' : `${f.file ? f.file + ':' : 'line '}${f.line}`;
    const clean = f.message.replace(/[\u0000-\u001f\u007f]/g, ' ');
    lines.push(`  ${at.padEnd(10)} ${f.severity.padEnd(6)} ${f.class.padEnd(13)} ${clean}${f.seq !== undefined ? ` [seq ${f.seq}]` : ''}`);
  }
  if (r.counts.omitted > 0) lines.push(`  … ${r.counts.omitted} more`);
  return lines.join('\n') + '\n';
}

/** One sentence for the top of the report. */
export function summarize(r: IntegrityReport): string {
  const n = r.records.chain;
  const name = r.profile?.name ?? 'no profile';
  const cp = r.lastVerifiedCheckpoint
    ? `; signed up to record ${r.lastVerifiedCheckpoint.recordCount} (${r.lastVerifiedCheckpoint.kind} ${r.lastVerifiedCheckpoint.line ? `at line ${r.lastVerifiedCheckpoint.line}` : 'file'})`
    : r.checkpoints.total > 0
      ? `; ${r.checkpoints.total} checkpoint(s), none verified by a signature`
      : '; no signed checkpoints';
  const above = r.counts.bySeverity.high + r.counts.bySeverity.medium;
  switch (r.verdict) {
    case 'verified':
      return `Verified: ${n} record(s), hash chain intact (${name})${cp}.`;
    case 'partial':
      return `Partial chain: the export starts mid-chain; the ${n} record(s) in it link correctly (${name})${cp}.`;
    case 'tampered':
      return `Tampered: ${above} finding(s) (${r.counts.bySeverity.high} high) in ${n} record(s) (${name})${cp}.`;
    case 'no-chain':
      return `No hash chain: ${r.profileChoice.reason}.`;
    default:
      return `Unverifiable: ${r.profile ? `${above} part(s) of the log could not be checked (${name})` : r.profileChoice.reason}.`;
  }
}
