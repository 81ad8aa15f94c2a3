// The `audit-lens` command line, on the same core as the extension, for pipelines.
//   audit-lens summary FILE... [--format jsonl|json-array|json-document|csv] [--json]
import fs from 'node:fs';
import path from 'node:path';
import { CONTAINER_FORMATS, isContainerFormat } from '../core/ingest/detectFormat';
import { loadSources } from '../core/store/loadSources';
import { openDatabase } from '../core/store/openDatabase';
import { formatText, toReport } from './summary';

const USAGE = `Usage:
  audit-lens summary FILE... [--format NAME] [--json]

Reads AI audit log exports (JSON Lines, JSON array, JSON document, CSV; gzip too; the AI Audit Lens format,
OpenTelemetry OTLP JSON traces and logs, generic JSON records) and prints the normalized counts: records read
and skipped (with reasons), events by kind, sessions, users, models, tokens, errors, time span.

Options:
  --format NAME   read every file as NAME instead of detecting it: ${CONTAINER_FORMATS.map((f) => f.id).join(', ')}
  --json          print JSON instead of text
  --help          this text

Exit codes: 0 done, 2 bad arguments or unreadable file.
`;

class UsageError extends Error {}

function parseArgs(argv: string[]): { command: string; files: string[]; format?: string; json: boolean } {
  const [command, ...rest] = argv;
  const files: string[] = [];
  let format: string | undefined;
  let json = false;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '--json') json = true;
    else if (a === '--format') format = rest[++i];
    else if (a.startsWith('--format=')) format = a.slice('--format='.length);
    else if (a === '--help' || a === '-h') throw new UsageError('');
    else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}`);
    else files.push(a);
  }
  return { command: command ?? '', files, format, json };
}

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs(argv);
  } catch (err) {
    process.stderr.write(`${(err as Error).message ? `audit-lens: ${(err as Error).message}\n\n` : ''}${USAGE}`);
    return (err as Error).message ? 2 : 0;
  }
  if (args.command !== 'summary') {
    process.stderr.write(`${args.command ? `audit-lens: unknown command "${args.command}"\n\n` : ''}${USAGE}`);
    return args.command ? 2 : 0;
  }
  if (args.files.length === 0) {
    process.stderr.write(`audit-lens summary: give at least one FILE\n\n${USAGE}`);
    return 2;
  }
  if (args.format !== undefined && !isContainerFormat(args.format)) {
    process.stderr.write(`audit-lens: --format must be one of ${CONTAINER_FORMATS.map((f) => f.id).join(', ')} (got "${args.format}")\n`);
    return 2;
  }
  for (const f of args.files) {
    if (!fs.existsSync(f) || !fs.statSync(f).isFile()) {
      process.stderr.write(`audit-lens: ${f}: no such file\n`);
      return 2;
    }
  }
  const db = await openDatabase(path.join(__dirname, 'sql-wasm.wasm'));
  const { store, summary } = await loadSources(db, args.files.map((f) => path.resolve(f)), {
    format: args.format as never,
    maxSkippedListed: 100_000,
  });
  const models = store
    .query('SELECT DISTINCT coalesce(request_model, response_model) AS m FROM events WHERE m IS NOT NULL ORDER BY m')
    .rows.map((r) => String(r[0]));
  const report = toReport(summary, models);
  process.stdout.write(args.json ? JSON.stringify(report, null, 2) + '\n' : formatText(report));
  db.close();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`audit-lens: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
