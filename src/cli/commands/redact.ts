// audit-lens redact FILE -o OUT [--mode mask|tag|pseudonym|partial] [--key-file K] [--no-rechain] …
// Writes a redacted copy of an export in the same format (gzip when the input is gzip); the input is never changed.
import fs from 'node:fs';
import { CONTAINER_FORMATS } from '../../core/ingest/detectFormat';
import { BUILT_IN_TYPES, CopyRefusedError, InvalidPatternError, REDACTION_MODES, redactFile, type RedactionMode, type RedactionSummary } from '../../core/redaction';
import { UsageError, parseOptions, type CliCommand } from '../command';
import { detectOptionsFrom, formatOption, tallyText } from './scan';

const MIN_KEY_BYTES = 16;

/** The pseudonym key: the file's bytes without trailing line breaks (so an editor's final newline changes nothing). */
function readKey(file: string): Buffer {
  let key = fs.readFileSync(file);
  while (key.length > 0 && (key[key.length - 1] === 0x0a || key[key.length - 1] === 0x0d)) key = key.subarray(0, key.length - 1);
  if (key.length < MIN_KEY_BYTES) throw new CopyRefusedError(`the key file ${file} holds ${key.length} bytes; use at least ${MIN_KEY_BYTES} (e.g. openssl rand -hex 32 > ${file})`);
  return key;
}

function summaryText(s: RedactionSummary): string {
  const gz = s.compressed ? ', gzip' : '';
  const lines = [
    `wrote ${s.output} (${s.format}${gz}, mode ${s.mode}): ${s.recordsWritten} record(s), ${s.recordsChanged} changed, ${s.findings.total} value(s) redacted`,
    `  original sha256: ${s.originalSha256}`,
    `  copy sha256:     ${s.outputSha256}`,
    `  integrity:       ${s.integrity}: ${s.integrityNote}${s.integrityHeader ? '; the first record (integrity.redacted_copy) links the copy to the original' : ''}`,
    `  by type:         ${tallyText(s.findings.byType)}`,
    `  by scope:        ${tallyText(s.findings.byScope)}`,
  ];
  if (s.signaturesRemoved) lines.push(`  signatures removed: ${s.signaturesRemoved} (they cannot be valid for redacted content)`);
  if (s.skippedCount) {
    lines.push(`  NOT copied: ${s.skippedCount} unreadable value(s) (their content cannot be redacted):`);
    for (const sk of s.skipped.slice(0, 20)) lines.push(`    line ${sk.line}: ${sk.reason}`);
    if (s.skippedCount > 20) lines.push(`    … and ${s.skippedCount - 20} more`);
  }
  return lines.join('\n') + '\n';
}

export const redactCommand: CliCommand = {
  name: 'redact',
  summary: 'write a redacted copy of an export (same format)',
  usage: `audit-lens redact FILE -o OUT [--mode mask|tag|pseudonym|partial] [--key-file K] [--no-rechain]
                  [--overwrite] [--format-preserving] [--types a,b] [--min-confidence X] [--format NAME] [--json]

Writes a copy of FILE with every detected personal value and secret replaced, in the same container format
(JSON Lines, JSON array, JSON document, CSV; gzip when FILE is gzip). FILE is never modified. Unreadable lines are
not copied (listed in the summary). A hash-chained input gets a new chain; JSON Lines and JSON array copies start
with an integrity.redacted_copy record holding the original file's SHA-256.

  -o, --output OUT     the copy (must not exist unless --overwrite; never FILE itself)
  --mode M             mask (default): "****"; tag: [EMAIL_1], the same value the same number;
                       pseudonym: EMAIL_3f9a2c1d04be, HMAC-SHA256 with --key-file; partial: last 4 kept for
                       cards, phones, IBANs, SSNs ("**** **** **** 1111"), others masked
  --key-file K         pseudonym key: the file's bytes (trailing newlines ignored), at least ${MIN_KEY_BYTES}
  --format-preserving  pseudonym mode: emails, cards, phones, SSNs, IBANs keep their shape (fake, invalid values)
  --no-rechain         remove hash and prev_hash instead of re-chaining the copy
  --overwrite          replace OUT when it exists
  --types a,b          only these types: ${BUILT_IN_TYPES.join(', ')}
  --min-confidence X   redact findings of at least X (0..1, default 0.5)
  --format NAME        read FILE as NAME instead of detecting it: ${CONTAINER_FORMATS.map((f) => f.id).join(', ')}
  --json               print the summary as JSON`,
  async run(args, io) {
    const { positionals, options, set } = parseOptions(
      args,
      ['o', 'output', 'mode', 'key-file', 'types', 'min-confidence', 'format'],
      ['no-rechain', 'overwrite', 'format-preserving', 'json'],
    );
    if (positionals.length !== 1) throw new UsageError('give exactly one FILE');
    const out = options.o ?? options.output;
    if (out === undefined) throw new UsageError('give the output file with -o OUT');
    const mode = (options.mode ?? 'mask') as RedactionMode;
    if (!REDACTION_MODES.includes(mode)) throw new UsageError(`--mode must be one of ${REDACTION_MODES.join(', ')} (got "${options.mode}")`);
    if (mode === 'pseudonym' && options['key-file'] === undefined) throw new UsageError('--mode pseudonym needs --key-file K');
    if (mode !== 'pseudonym' && options['key-file'] !== undefined) throw new UsageError('--key-file is only used with --mode pseudonym');
    if (set.has('format-preserving') && mode !== 'pseudonym') throw new UsageError('--format-preserving is only used with --mode pseudonym');
    const detect = detectOptionsFrom(options);
    const format = formatOption(options);
    const file = positionals[0];
    try {
      if (options['key-file'] !== undefined && !fs.existsSync(options['key-file'])) throw new CopyRefusedError(`${options['key-file']}: no such key file`);
      const key = options['key-file'] !== undefined ? readKey(options['key-file']) : undefined;
      const summary = await redactFile(file, out, {
        mode,
        key,
        formatPreserving: set.has('format-preserving'),
        detect,
        format,
        overwrite: set.has('overwrite'),
        rechain: !set.has('no-rechain'),
      });
      io.out(set.has('json') ? JSON.stringify(summary, null, 2) + '\n' : summaryText(summary));
      return 0;
    } catch (err) {
      if (err instanceof CopyRefusedError || err instanceof InvalidPatternError) {
        io.err(`audit-lens redact: ${err.message}\n`);
        return 2;
      }
      throw err;
    }
  },
};
