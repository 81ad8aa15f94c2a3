// audit-lens summary FILE... [--format NAME] [--json]
import fs from 'node:fs';
import path from 'node:path';
import { CONTAINER_FORMATS, isContainerFormat } from '../../core/ingest/detectFormat';
import { loadSources } from '../../core/store/loadSources';
import { openDatabase } from '../../core/store/openDatabase';
import { UsageError, parseOptions, type CliCommand } from '../command';
import { formatText, toReport } from './summaryReport';

export const summaryCommand: CliCommand = {
  name: 'summary',
  summary: 'normalized counts of one or more exports',
  usage: `audit-lens summary FILE... [--format NAME] [--json]

Reads AI audit log exports (JSON Lines, JSON array, JSON document, CSV; gzip too; the AI Audit Lens format,
OpenTelemetry OTLP JSON traces and logs, generic JSON records) and prints the normalized counts: records read
and skipped (with reasons), events by kind, sessions, users, models, tokens, errors, time span.

  --format NAME   read every file as NAME instead of detecting it: ${CONTAINER_FORMATS.map((f) => f.id).join(', ')}
  --json          print JSON instead of text`,
  async run(args, io) {
    const { positionals: files, options, set } = parseOptions(args, ['format'], ['json']);
    if (files.length === 0) throw new UsageError('give at least one FILE');
    if (options.format !== undefined && !isContainerFormat(options.format)) {
      throw new UsageError(`--format must be one of ${CONTAINER_FORMATS.map((f) => f.id).join(', ')} (got "${options.format}")`);
    }
    for (const f of files) {
      if (!fs.existsSync(f) || !fs.statSync(f).isFile()) {
        io.err(`audit-lens: ${f}: no such file\n`);
        return 2;
      }
    }
    const db = await openDatabase(io.wasmPath);
    try {
      const { store, summary } = await loadSources(db, files.map((f) => path.resolve(f)), {
        format: isContainerFormat(options.format ?? '') ? (options.format as never) : undefined,
        maxSkippedListed: 100_000,
      });
      const models = store
        .query('SELECT DISTINCT coalesce(request_model, response_model) AS m FROM events WHERE m IS NOT NULL ORDER BY m')
        .rows.map((r) => String(r[0]));
      const report = toReport(summary, models);
      io.out(set.has('json') ? JSON.stringify(report, null, 2) + '\n' : formatText(report));
      return 0;
    } finally {
      db.close();
    }
  },
};
