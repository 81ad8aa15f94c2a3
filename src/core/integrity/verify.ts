// verifyIntegrity: the streaming integrity verifier. It reads the log once with the project's readers (JSON Lines,
// JSON array, JSON document, CSV, gzip), detects or applies the hash-chain profile on the first records, checks
// every record's hash, keeps a compact table of links (chainTable.ts), the Merkle tree's right edge, signed tree
// heads and inclusion proofs, then classifies what it found (classifyChain.ts, treeHeads.ts, inclusionProofs.ts).
// Memory: about 55 bytes per record plus the findings; records are not kept.
import type { KeyObject } from 'node:crypto';
import type { ContainerFormat } from '../ingest/detectFormat';
import type { ReadEvent } from '../ingest/readerTypes';
import { ChainTable, hashValueBytes } from './chainTable';
import { CHECKPOINT_TYPE, isTreeHeadType, readDigestFile, type TreeHead } from './checkpoint';
import { classifyChain, type SeqMode } from './classifyChain';
import { digestPathFor, hintsFromConfig, type IntegrityConfig } from './config';
import { DETECTION_SAMPLE, detectProfile, type Detection } from './detectProfile';
import { decodeAs, encodeAs, isAllZeros } from './encoding';
import { FindingList, verdictOf, type Finding, type FindingClass, type Reporter, type Severity } from './findings';
import { ProofChecker } from './inclusionProofs';
import { hmacKeyFingerprint, loadPublicKey, type PublicKeyInfo } from './keys';
import { openSources, sha256File, type IntegrityInput } from './logSources';
import { GrowingTree, leafHash } from './merkle';
import { MERKLE_PROOF_FIELD, canonicalText, digestText, parseProfileName, profileName, type IntegrityProfile, type ProfileHints } from './profiles';
import { summarize } from './report';
import type { CheckpointReport, IntegrityReport } from './reportTypes';
import { TreeHeadChecker, type TreeHeadSummary } from './treeHeads';

export type { IntegrityInput } from './logSources';

export interface IntegrityProgress {
  records: number;
  /** Bytes read from disk so far (compressed bytes for gzip), over all files. */
  bytes: number;
  totalBytes: number;
}

export interface VerifyOptions {
  /** A profile name (`jcs-sha256`), or hints; merged over the configuration's. Left-out parts are detected. */
  profile?: string | ProfileHints;
  /** The "integrity" section of .auditlens.json (parseIntegrityConfig); paths in it must already be resolved. */
  config?: IntegrityConfig;
  /** The HMAC key of a keyed chain (never read from the log). */
  hmacKey?: Buffer;
  /** Public keys for checkpoint and digest signatures: PEM text, PEM file paths, or key objects. */
  publicKeys?: readonly (string | KeyObject)[];
  /** A digest file: its path, or a parsed tree head. */
  digest?: string | TreeHead;
  /** Read every file as this container format instead of detecting it. */
  format?: ContainerFormat;
  /** Called about every 1000 records and at the end. */
  onProgress?: (p: IntegrityProgress) => void;
  signal?: AbortSignal;
  /** Findings kept in the report (counts stay exact beyond). Default 10 000. */
  maxFindings?: number;
  /** The `type` of checkpoint records. Default "integrity.checkpoint". */
  checkpointType?: string;
  /** Report "unverifiable" when no checkpoint or digest signature verifies. */
  requireCheckpoints?: boolean;
  /** The clock, for tests. */
  now?: () => Date;
}

const LINE_SPAN = 2 ** 32;
const ID_FIELDS = ['id', 'event_id', 'record_id', 'uuid'];

function timestampMs(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return Date.parse(v);
  return Number.NaN;
}

function recordId(r: Record<string, unknown>): string | undefined {
  for (const f of ID_FIELDS) {
    const v = r[f];
    if (typeof v === 'string' || typeof v === 'number') return String(v);
  }
  return undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function mergeHints(base: ProfileHints, over: ProfileHints): ProfileHints {
  const out: ProfileHints = { ...base, ...over };
  if (base.fields || over.fields) out.fields = { ...base.fields, ...over.fields };
  return out;
}

/** Verifies a log's integrity; resolves to the report (rejects only for unusable arguments, I/O errors and aborts). */
export async function verifyIntegrity(input: IntegrityInput, options: VerifyOptions = {}): Promise<IntegrityReport> {
  const started = performance.now();
  const now = options.now ?? (() => new Date());
  const signal = options.signal;
  signal?.throwIfAborted();
  const config = options.config ?? {};
  const optionHints = typeof options.profile === 'string' ? parseProfileName(options.profile) : (options.profile ?? {});
  if (optionHints === null) throw new Error(`unknown profile name "${options.profile as string}"`);
  const hints = mergeHints(hintsFromConfig(config), optionHints);
  const key = options.hmacKey;
  const keyInputs = options.publicKeys ?? (config.publicKey === undefined ? [] : ([] as string[]).concat(config.publicKey));
  const keys: PublicKeyInfo[] = keyInputs.map((k) => loadPublicKey(k));
  const checkpointType = options.checkpointType ?? config.checkpoints?.type ?? CHECKPOINT_TYPE;

  const fileBytes: number[] = [];
  let bytesRead = 0;
  const onBytes = (fileIndex: number, n: number) => {
    fileBytes[fileIndex] = n;
    bytesRead = fileBytes.reduce((a, b) => a + (b ?? 0), 0);
  };
  const sources = await openSources(input, options.format, onBytes);
  const totalBytes = sources.reduce((n, s) => n + s.info.bytes, 0);
  const firstPath = sources[0]?.info.format !== 'values' ? sources[0]?.name : undefined;
  let digestPath: string | null = null;
  let digestHead: TreeHead | null = null;
  if (typeof options.digest === 'string') digestPath = options.digest;
  else if (options.digest) digestHead = options.digest;
  else if (firstPath && config.digest) digestPath = digestPathFor(config, firstPath) ?? null;
  if (digestPath) digestHead = readDigestFile(digestPath);
  const hashes = sources.map((s) => (s.info.format === 'values' ? Promise.resolve(null) : sha256File(s.name, signal)));
  hashes.forEach((p) => p.catch(() => undefined)); // awaited below; an abort must not leave an unhandled rejection

  const findings = new FindingList(options.maxFindings ?? 10_000);
  const multi = sources.length > 1;
  const fileOf = (loc: number) => Math.floor(loc / LINE_SPAN);
  const lineOf = (loc: number) => loc % LINE_SPAN;
  let table: ChainTable | null = null;
  const whereLoc = (loc: number) => (loc === 0 ? 'the log' : multi ? `${sources[fileOf(loc)].name}:${lineOf(loc)}` : `line ${lineOf(loc)}`);
  const base = (loc: number): Pick<Finding, 'line' | 'file'> => (multi && loc !== 0 ? { line: lineOf(loc), file: sources[fileOf(loc)].name } : { line: lineOf(loc) });
  const reporter: Reporter = {
    atLoc(loc, cls, severity, message, detail) {
      findings.add({ class: cls, severity, ...base(loc), message, ...detail });
    },
    atRecord(x, cls, severity, message, detail) {
      const t = table as ChainTable;
      const s = t.seq.data[x];
      const id = t.notes.get(x)?.id;
      findings.add({ class: cls, severity, ...base(t.loc.data[x]), ...(Number.isNaN(s) ? {} : { seq: s }), ...(id ? { recordId: id } : {}), message, ...detail });
    },
    where: (x) => whereLoc((table as ChainTable).loc.data[x]),
    whereLoc,
  };

  const tree = new GrowingTree();
  let detection: Detection | null = null;
  let profile: IntegrityProfile | null = null;
  let heads: TreeHeadChecker | null = null;
  let proofs: ProofChecker | null = null;
  const counts = { values: 0, chain: 0, hashesMatched: 0, checkpoints: 0, skippedLines: 0, blankLines: 0, notObjects: 0 };
  let firstSkipIndex = Number.POSITIVE_INFINITY;
  let lastLoc = 0;
  const buffered: { ev: ReadEvent; loc: number }[] = [];
  const samples: Record<string, unknown>[] = [];

  const report = (loc: number, cls: FindingClass, severity: Severity, message: string) => reporter.atLoc(loc, cls, severity, message);

  const genesisMatch = (p: IntegrityProfile, prev: unknown): boolean => {
    if (p.genesis === null) return prev === undefined || prev === null || prev === '';
    if (typeof prev !== 'string') return false;
    return prev === p.genesis || (isAllZeros(p.genesis) && isAllZeros(prev));
  };

  const handleRecord = (value: Record<string, unknown>, loc: number): void => {
    const p = profile as IntegrityProfile;
    const t = table as ChainTable;
    const f = p.fields;
    counts.chain += 1;
    let canonical: string | null = null;
    try {
      canonical = canonicalText(p, value);
    } catch {
      canonical = null; // e.g. a number JSON.parse turned into Infinity: the hash cannot match
    }
    const bytes = Buffer.from(canonical ?? JSON.stringify(value), 'utf8'); // encoded once for both hashes
    tree.append(leafHash(bytes));
    const seqValue = f.seq ? value[f.seq] : undefined;
    const seq = typeof seqValue === 'number' ? seqValue : Number.NaN;
    const ts = f.timestamp ? timestampMs(value[f.timestamp]) : Number.NaN;
    const hashText = value[f.hash];
    if (typeof hashText !== 'string') {
      t.add({ loc, hash: null, hashText: undefined, prevIsGenesis: false, prev: null, prevText: undefined, ok: false, computedText: undefined, seq, ts, id: recordId(value) });
      return;
    }
    const stored = decodeAs(hashText, p.encoding);
    const computed = canonical === null ? null : digestText(p, bytes, key);
    const ok = stored !== null && computed !== null && stored.equals(computed);
    if (ok) counts.hashesMatched += 1;
    const prev = f.prevHash ? value[f.prevHash] : undefined;
    const isGenesis = f.prevHash !== null && genesisMatch(p, prev);
    const x = t.add({
      loc,
      hash: hashValueBytes(hashText, stored),
      hashText,
      prevIsGenesis: isGenesis,
      prev: !isGenesis && typeof prev === 'string' && prev !== '' ? hashValueBytes(prev, decodeAs(prev, p.encoding)) : null,
      prevText: typeof prev === 'string' ? prev : undefined,
      ok,
      computedText: ok || computed === null ? undefined : encodeAs(computed, p.encoding),
      seq,
      ts,
      id: recordId(value),
    });
    const proof = value[MERKLE_PROOF_FIELD];
    if (proof !== undefined && canonical !== null) (proofs as ProofChecker).onRecord(x, proof, canonical, tree);
  };

  const handle = (ev: ReadEvent, loc: number): void => {
    lastLoc = loc;
    if (ev.kind === 'blank') {
      counts.blankLines += 1;
      return;
    }
    const unreadable = (why: string) => {
      if (!table) return; // no chain is being checked: nothing to say about one line
      firstSkipIndex = Math.min(firstSkipIndex, table.count);
      table.noteSkip();
      report(loc, 'unverifiable', 'medium', why);
    };
    if (ev.kind === 'skip') {
      counts.skippedLines += 1;
      unreadable(`the reader skipped this line (${ev.reason}): its content cannot be verified, and the record it held is missing from the chain`);
      return;
    }
    counts.values += 1;
    if (!isRecord(ev.value)) {
      counts.notObjects += 1;
      unreadable('this value is not a JSON object, so it is not a record of the chain');
      return;
    }
    if (isTreeHeadType(ev.value, checkpointType)) {
      counts.checkpoints += 1;
      if (heads && table) heads.onCheckpoint(ev.value, loc, table, tree);
      return;
    }
    if (table) handleRecord(ev.value, loc);
    else counts.chain += 1;
  };

  const decide = (): void => {
    detection = detectProfile(samples, hints, key);
    if (detection.status === 'found' && detection.profile) {
      profile = detection.profile;
      table = new ChainTable(profile.fields.prevHash !== null);
      heads = new TreeHeadChecker(keys, profile.encoding, reporter);
      proofs = new ProofChecker(reporter);
      if (digestHead) heads.setDigest(digestHead, tree);
    } else {
      report(0, 'unverifiable', 'medium', detection.reason);
    }
    for (const b of buffered) handle(b.ev, b.loc);
    buffered.length = 0;
  };

  let events = 0;
  const progress = () => options.onProgress?.({ records: counts.chain, bytes: bytesRead, totalBytes });
  for (const [fileIndex, source] of sources.entries()) {
    for await (const ev of source.events()) {
      events += 1;
      if ((events & 255) === 0) signal?.throwIfAborted();
      const loc = fileIndex * LINE_SPAN + ev.loc.line;
      if (!detection) {
        buffered.push({ ev, loc });
        if (ev.kind === 'value' && isRecord(ev.value) && !isTreeHeadType(ev.value, checkpointType)) samples.push(ev.value);
        if (samples.length >= DETECTION_SAMPLE) decide();
      } else {
        handle(ev, loc);
      }
      if ((events % 1000) === 0) progress();
    }
  }
  signal?.throwIfAborted();
  if (!detection) decide();

  let seqMode: SeqMode = 'none';
  // (Assigned inside decide(); the casts undo TypeScript's narrowing of the `let`s to null.)
  const chainTable = table as ChainTable | null;
  const checker = heads as TreeHeadChecker | null;
  const proofChecker = proofs as unknown as ProofChecker | null;
  if (chainTable && checker && profile) {
    const p: IntegrityProfile = profile;
    const outcome = classifyChain(chainTable, { genesisRequired: p.genesisRequired, linked: p.fields.prevHash !== null }, reporter.atRecord, reporter.where);
    seqMode = outcome.seqMode;
    checker.finish(outcome, chainTable, tree, { firstSkipIndex, lastLoc });
    (proofChecker as ProofChecker).finish(outcome, checker.signedRoots(), tree);
    if ((options.requireCheckpoints || config.checkpoints?.required) && !checker.lastVerified) {
      report(0, 'unverifiable', 'medium', 'signed checkpoints are required, and no checkpoint or digest signature verified');
    }
  }
  progress();
  const digests = await Promise.all(hashes);
  sources.forEach((s, i) => (s.info.sha256 = digests[i]));

  const det = detection as Detection | null;
  const state = chainTable ? 'checked' : det?.status === 'no-chain' ? 'no-chain' : 'unverifiable';
  const verdict = verdictOf(findings, state);
  const lastV = checker?.lastVerified?.summary ?? null;
  const fileNames = sources.map((s) => s.name);
  const result: IntegrityReport = {
    verdict,
    summary: '',
    files: sources.map((s) => s.info),
    exportSha256: sources[0]?.info.sha256 ?? null,
    profile: profile ? { ...(profile as IntegrityProfile), name: profileName(profile) } : null,
    profileChoice: {
      source: Object.keys(hints).length > 0 ? 'configured' : 'auto',
      status: det?.status ?? 'no-chain',
      reason: det?.reason ?? 'no records',
      matched: det?.matched ?? 0,
      sampled: det?.sampled ?? 0,
    },
    records: counts,
    counts: { byClass: findings.byClass, bySeverity: findings.bySeverity, findings: findings.items.length + findings.omitted, omitted: findings.omitted },
    findings: findings.sorted(fileNames),
    checkpoints: checker?.counts ?? { total: counts.checkpoints, verified: 0, consistent: 0, badSignature: 0, mismatched: 0, explained: 0, noKey: 0, malformed: 0 },
    lastVerifiedCheckpoint: lastV ? checkpointReport(lastV, base) : null,
    digest: { path: digestPath, status: checker ? checker.digestStatus : digestHead ? 'not-checked' : 'not-given' },
    merkle: chainTable ? { root: tree.range.root().toString('hex'), treeSize: tree.size } : null,
    inclusionProofs: proofChecker?.counts ?? { total: 0, verified: 0, consistent: 0, failed: 0, unchecked: 0 },
    sequence: seqMode,
    keys: {
      publicKeys: keys.map((k) => ({ fingerprint: k.fingerprint, alg: k.alg, source: k.source })),
      hmacKey: key ? hmacKeyFingerprint(key) : null,
    },
    verifiedAt: now().toISOString(),
    elapsedMs: Math.round(performance.now() - started),
  };
  result.summary = summarize(result);
  return result;
}

function checkpointReport(s: TreeHeadSummary, base: (loc: number) => Pick<Finding, 'line' | 'file'>): CheckpointReport {
  const { loc, ...rest } = s;
  return { ...rest, ...base(loc) };
}
