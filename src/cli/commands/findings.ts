// audit-lens findings FILE... [--json] [--retention-days N] [--now TIME] [--rules a,b] [--min-severity S] [--format NAME]
// Exit code 1 when a finding of severity high or critical is present, 0 otherwise, 2 for bad arguments or input.
import fs from 'node:fs';
import path from 'node:path';
import { CONTAINER_FORMATS, isContainerFormat } from '../../core/ingest/detectFormat';
import { RULES, SEVERITIES, atLeast, runFindings, summarizeFindings, type Finding, type RuleId, type Severity } from '../../core/findings';
import { loadSources } from '../../core/store/loadSources';
import { openDatabase } from '../../core/store/openDatabase';
import { UsageError, parseOptions, type CliCommand } from '../command';

function positiveNumber(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new UsageError(`--${name} must be a number ≥ 0 (got "${value}")`);
  return n;
}

function textReport(findings: Finding[], fileNames: string[]): string {
  const s = summarizeFindings(findings);
  const counts = SEVERITIES.slice()
    .reverse()
    .filter((sev) => s.bySeverity[sev] > 0)
    .map((sev) => `${sev} ${s.bySeverity[sev]}`)
    .join(', ');
  const lines = [`${fileNames.length === 1 ? fileNames[0] : `${fileNames.length} files`}: ${s.total} finding${s.total === 1 ? '' : 's'}${counts ? ` (${counts})` : ''}`];
  for (const f of findings) {
    const where = f.events[0] ? `${fileNames[f.events[0].fileIndex] ?? `file ${f.events[0].fileIndex}`}:${f.events[0].line}` : '-';
    const more = f.eventCount > 1 ? ` (+${f.eventCount - 1} more)` : '';
    lines.push('', `${f.severity.toUpperCase().padEnd(9)}${f.rule.padEnd(20)}${where}${more}`, `         ${f.title}`, `         ${f.message}`);
  }
  return `${lines.join('\n')}\n`;
}

export const findingsCommand: CliCommand = {
  name: 'findings',
  summary: 'security and quality findings (injection, leaks, outliers, bursts, gaps, retention)',
  usage: `audit-lens findings FILE... [--json] [--retention-days N] [--now TIME] [--rules a,b] [--min-severity S] [--format NAME]

Loads the exports and runs the findings rules: prompt injection in user input and in retrieved documents or tool
results, system prompt or secrets leaked in responses, latency and token outliers per model, error bursts, retry
storms, cost spikes, missing required fields, logging gaps, and (with --retention-days) records older than the
retention policy. See docs/findings.md.

  --json               print JSON (summary and findings) instead of text
  --retention-days N   report records older than N days (relative to --now)
  --now TIME           the current time for the retention rule (ISO 8601; default: now)
  --rules a,b          run only these rules: ${RULES.join(', ')}
  --min-severity S     list only findings of this severity or above: ${SEVERITIES.join(', ')}
  --format NAME        read every file as NAME instead of detecting it: ${CONTAINER_FORMATS.map((f) => f.id).join(', ')}

Exit code: 1 when a finding of severity high or critical is present, 0 otherwise, 2 for bad arguments.`,
  async run(args, io) {
    const { positionals: files, options, set } = parseOptions(args, ['retention-days', 'now', 'rules', 'min-severity', 'format'], ['json']);
    if (files.length === 0) throw new UsageError('give at least one FILE');
    if (options.format !== undefined && !isContainerFormat(options.format)) {
      throw new UsageError(`--format must be one of ${CONTAINER_FORMATS.map((f) => f.id).join(', ')} (got "${options.format}")`);
    }
    const retentionDays = positiveNumber('retention-days', options['retention-days']);
    if (options.now !== undefined && !Number.isFinite(Date.parse(options.now))) throw new UsageError(`--now must be an ISO 8601 time (got "${options.now}")`);
    let rules: RuleId[] | undefined;
    if (options.rules !== undefined) {
      rules = options.rules.split(',').map((r) => r.trim()).filter((r) => r !== '') as RuleId[];
      const unknown = rules.filter((r) => !RULES.includes(r));
      if (unknown.length || rules.length === 0) throw new UsageError(`--rules takes names among ${RULES.join(', ')} (got "${options.rules}")`);
      if (rules.includes('retention') && retentionDays === undefined) throw new UsageError('the retention rule needs --retention-days N');
    }
    const minSeverity = options['min-severity'] as Severity | undefined;
    if (minSeverity !== undefined && !SEVERITIES.includes(minSeverity)) throw new UsageError(`--min-severity must be one of ${SEVERITIES.join(', ')} (got "${minSeverity}")`);
    for (const f of files) {
      if (!fs.existsSync(f) || !fs.statSync(f).isFile()) {
        io.err(`audit-lens: ${f}: no such file\n`);
        return 2;
      }
    }
    const db = await openDatabase(io.wasmPath);
    try {
      const paths = files.map((f) => path.resolve(f));
      const { summary } = await loadSources(db, paths, { format: isContainerFormat(options.format ?? '') ? (options.format as never) : undefined });
      const all = await runFindings(db, null, { rules, retentionDays, now: options.now });
      const listed = minSeverity ? all.filter((f) => atLeast(f.severity, minSeverity)) : all;
      const fileNames = summary.files.map((f) => f.fileName);
      if (set.has('json')) {
        const report = { files: summary.files.map((f) => ({ path: f.path, fileName: f.fileName, format: f.format, records: f.records, events: f.events })), summary: summarizeFindings(listed), findings: listed };
        io.out(`${JSON.stringify(report, null, 2)}\n`);
      } else {
        io.out(textReport(listed, fileNames));
      }
      return all.some((f) => atLeast(f.severity, 'high')) ? 1 : 0;
    } finally {
      db.close();
    }
  },
};
