// audit-lens verify FILE... [--profile P] [--key-file K] [--public-key PUB] [--digest D] [--format NAME]
//                           [--require-checkpoints] [--merkle-root] [--json | --markdown]
import fs from 'node:fs';
import path from 'node:path';
import { CONTAINER_FORMATS, isContainerFormat } from '../../core/ingest/detectFormat';
import { parseIntegrityConfig, type IntegrityConfig } from '../../core/integrity/config';
import { parseProfileName, profileNames } from '../../core/integrity/profiles';
import { reportToJson, reportToMarkdown, reportToText } from '../../core/integrity/report';
import { verifyIntegrity } from '../../core/integrity/verify';
import { UsageError, parseOptions, type CliCommand } from '../command';

/** An HMAC key file: its bytes, or the bytes a file holding only hex digits (or "base64:…") stands for. */
export function readKeyFile(file: string): Buffer {
  const raw = fs.readFileSync(file);
  const text = raw.toString('utf8').trim();
  if (/^([0-9a-fA-F]{2})+$/.test(text)) return Buffer.from(text, 'hex');
  if (text.startsWith('base64:')) return Buffer.from(text.slice(7), 'base64');
  return raw;
}

/** --profile: a profile name, or a JSON file holding an "integrity" section (or the section itself). */
function profileOption(value: string): { name?: string; config?: IntegrityConfig } {
  if (parseProfileName(value)) return { name: value };
  if (!fs.existsSync(value)) throw new UsageError(`--profile must be a profile name (${profileNames().slice(0, 4).join(', ')}, …) or a JSON file (no file "${value}")`);
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(value, 'utf8'));
  } catch (err) {
    throw new UsageError(`--profile ${value}: not JSON (${(err as Error).message})`);
  }
  const section = typeof json === 'object' && json !== null && 'integrity' in json ? (json as { integrity: unknown }).integrity : json;
  const parsed = parseIntegrityConfig(section, value);
  if (!parsed.ok) throw new UsageError(`--profile ${value}:\n  ${parsed.errors.join('\n  ')}`);
  // Paths in a profile file are relative to the file.
  const dir = path.dirname(value);
  const config = { ...parsed.config };
  if (config.publicKey) config.publicKey = ([] as string[]).concat(config.publicKey).map((p) => path.resolve(dir, p));
  if (config.digest) config.digest = path.isAbsolute(config.digest) || config.digest.startsWith('{file}') ? config.digest : path.resolve(dir, config.digest);
  return { config };
}

export const verifyCommand: CliCommand = {
  name: 'verify',
  summary: 'check an export\'s hash chain, signed checkpoints and Merkle proofs',
  usage: `audit-lens verify FILE... [--profile P] [--key-file K] [--public-key PUB] [--digest D]
                         [--format NAME] [--require-checkpoints] [--merkle-root] [--json | --markdown]

Verifies the integrity of an AI audit log export (JSON Lines, JSON array, CSV; gzip too; several FILEs are read
as one log in order): every record's hash, the prev-hash links (finding modified, deleted, inserted, reordered,
duplicated records), signed checkpoints and a digest file (truncation, bad signatures), RFC 6962 Merkle roots and
inclusion proofs. Prints the verdict and the findings with their lines. See docs/integrity.md.

  --profile P          a profile name (${profileNames().slice(0, 3).join(', ')}, …: canonicalization-[hmac-]algorithm)
                       or a JSON file with an "integrity" section as in .auditlens.json; default: detected
  --key-file K         the HMAC key of a keyed chain: the file's bytes (a file of only hex digits, or
                       "base64:…", is decoded)
  --public-key PUB     PEM public key (Ed25519 or ECDSA P-256) for checkpoint and digest signatures
  --digest D           the digest file kept apart from the log
  --format NAME        read as NAME instead of detecting it: ${CONTAINER_FORMATS.map((f) => f.id).join(', ')}
  --require-checkpoints  unverifiable unless a checkpoint or digest signature verifies
  --merkle-root        report the RFC 6962 Merkle root even for a log of 32 MiB or more that has no checkpoint,
                       digest or proof needing it (one more SHA-256 per record)
  --json               print the report as JSON
  --markdown           print the report as Markdown

Exit codes: 0 verified (info findings such as a partial chain allowed), 1 any finding of severity high or
medium (tampering, bad signature, unverifiable content, no chain), 2 bad arguments or unreadable input.`,
  async run(args, io) {
    const { positionals: files, options, set } = parseOptions(args, ['profile', 'key-file', 'public-key', 'digest', 'format'], ['json', 'markdown', 'require-checkpoints', 'merkle-root']);
    if (files.length === 0) throw new UsageError('give the FILE to verify');
    if (set.has('json') && set.has('markdown')) throw new UsageError('choose one of --json and --markdown');
    if (options.format !== undefined && !isContainerFormat(options.format)) {
      throw new UsageError(`--format must be one of ${CONTAINER_FORMATS.map((f) => f.id).join(', ')} (got "${options.format}")`);
    }
    for (const f of [...files, options['key-file'], options['public-key'], options.digest]) {
      if (f !== undefined && (!fs.existsSync(f) || !fs.statSync(f).isFile())) {
        io.err(`audit-lens verify: ${f}: no such file\n`);
        return 2;
      }
    }
    const profile = options.profile !== undefined ? profileOption(options.profile) : {};
    try {
      const report = await verifyIntegrity(files, {
        profile: profile.name,
        config: profile.config,
        hmacKey: options['key-file'] !== undefined ? readKeyFile(options['key-file']) : undefined,
        publicKeys: options['public-key'] !== undefined ? [options['public-key']] : undefined,
        digest: options.digest,
        format: options.format as never,
        requireCheckpoints: set.has('require-checkpoints'),
        merkleRoot: set.has('merkle-root'),
      });
      io.out(set.has('json') ? reportToJson(report) : set.has('markdown') ? reportToMarkdown(report) : reportToText(report));
      return report.counts.bySeverity.high + report.counts.bySeverity.medium > 0 ? 1 : 0;
    } catch (err) {
      io.err(`audit-lens verify: ${(err as Error).message}\n`);
      return 2;
    }
  },
};
