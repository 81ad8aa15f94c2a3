// audit-lens scan FILE [--json] [--types a,b] [--min-confidence X] [--format NAME]
// Lists the sensitive values found in an export (never the values themselves: a masked form). Exit code 1 when
// anything is found, 0 when nothing is, 2 for bad arguments or an unreadable file.
import fs from 'node:fs';
import { CONTAINER_FORMATS, isContainerFormat, type ContainerFormat } from '../../core/ingest/detectFormat';
import { BUILT_IN_TYPES, checkTypeNames, displayMask, scanFile, type DetectOptions, type FileFinding, type FindingTallies } from '../../core/redaction';
import { UsageError, parseOptions, type CliCommand } from '../command';

/** The detection options of --types and --min-confidence (shared with `redact`). */
export function detectOptionsFrom(options: Record<string, string>): DetectOptions {
  const out: DetectOptions = {};
  if (options.types !== undefined) {
    const types = options.types.split(',').map((t) => t.trim()).filter((t) => t !== '');
    if (types.length === 0) throw new UsageError('--types needs at least one type');
    try {
      checkTypeNames(types);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    out.types = types;
  }
  if (options['min-confidence'] !== undefined) {
    const n = Number(options['min-confidence']);
    if (options['min-confidence'].trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new UsageError(`--min-confidence must be a number from 0 to 1 (got "${options['min-confidence']}")`);
    out.minConfidence = n;
  }
  return out;
}

/** The --format option, checked. */
export function formatOption(options: Record<string, string>): ContainerFormat | undefined {
  if (options.format === undefined) return undefined;
  if (!isContainerFormat(options.format)) throw new UsageError(`--format must be one of ${CONTAINER_FORMATS.map((f) => f.id).join(', ')} (got "${options.format}")`);
  return options.format;
}

/** "email 3, phone 2" */
export function tallyText(tally: Record<string, number>): string {
  const parts = Object.entries(tally).map(([k, n]) => `${k} ${n}`);
  return parts.length ? parts.join(', ') : 'none';
}

function findingJson(f: FileFinding): Record<string, unknown> {
  return {
    line: f.line,
    path: f.path,
    field: f.field,
    scope: f.scope,
    session: f.sessionId,
    type: f.type,
    confidence: f.confidence,
    ...(f.validator ? { validator: f.validator } : {}),
    ...(f.heuristic ? { heuristic: true } : {}),
    masked: displayMask(f),
  };
}

function countsText(counts: FindingTallies): string {
  return [`  by type:    ${tallyText(counts.byType)}`, `  by scope:   ${tallyText(counts.byScope)}`, `  by session: ${tallyText(counts.bySession)}`].join('\n');
}

export const scanCommand: CliCommand = {
  name: 'scan',
  summary: 'list sensitive values (PII, secrets) in an export; exit 1 when any',
  usage: `audit-lens scan FILE [--json] [--types a,b] [--min-confidence X] [--format NAME]

Scans every string of every record (messages, responses, tool arguments and results, retrieved chunks,
metadata; not ids, timestamps or hash fields) for personal data and secrets, and lists each finding with its
line, JSON path, type and confidence. Values are shown masked, never in full.
Exit code: 1 when anything is found, 0 when nothing is, 2 for bad arguments or an unreadable file.

  --types a,b          only these types: ${BUILT_IN_TYPES.join(', ')}
                       (default: all but person_name)
  --min-confidence X   drop findings under X (0..1, default 0.5)
  --format NAME        read FILE as NAME instead of detecting it: ${CONTAINER_FORMATS.map((f) => f.id).join(', ')}
  --json               print JSON instead of text`,
  async run(args, io) {
    const { positionals, options, set } = parseOptions(args, ['types', 'min-confidence', 'format'], ['json']);
    if (positionals.length !== 1) throw new UsageError('give exactly one FILE');
    const file = positionals[0];
    const detect = detectOptionsFrom(options);
    const format = formatOption(options);
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
      io.err(`audit-lens: ${file}: no such file\n`);
      return 2;
    }
    const json = set.has('json');
    let first = true;
    if (json) io.out(`{"file":${JSON.stringify(file)},"findings":[`);
    const summary = await scanFile(file, {
      detect,
      format,
      keepFindings: 0,
      onFinding: (f) => {
        if (json) {
          io.out(`${first ? '\n' : ',\n'}  ${JSON.stringify(findingJson(f))}`);
        } else {
          io.out(`line ${f.line}\t${f.path}\t${f.type}\t${f.confidence.toFixed(2)}\t${displayMask(f)}\n`);
        }
        first = false;
      },
    });
    if (json) {
      const rest = {
        format: summary.format,
        compressed: summary.compressed,
        records: summary.records,
        recordsWithFindings: summary.recordsWithFindings,
        skippedCount: summary.skippedCount,
        skipped: summary.skipped,
        counts: summary.counts,
      };
      io.out(`${first ? '' : '\n'}],${JSON.stringify(rest, null, 2).slice(1)}\n`);
    } else {
      const gz = summary.compressed ? ', gzip' : '';
      io.out(`${file} (${summary.format}${gz}): ${summary.counts.total} finding(s) in ${summary.recordsWithFindings} of ${summary.records} record(s)`);
      io.out(summary.skippedCount ? `; ${summary.skippedCount} unreadable value(s) not scanned\n` : '\n');
      if (summary.counts.total > 0) io.out(countsText(summary.counts) + '\n');
    }
    return summary.counts.total > 0 ? 1 : 0;
  },
};
