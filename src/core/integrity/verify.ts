// verifyIntegrity: the streaming integrity verifier. It reads the log once with the project's readers (JSON Lines,
// JSON array, JSON document, CSV, gzip), detects or applies the hash-chain profile on the first records, checks
// every record's hash, keeps a compact table of links (chainTable.ts), the Merkle tree's right edge, signed tree
// heads and inclusion proofs, then classifies what it found (classifyChain.ts, treeHeads.ts, inclusionProofs.ts).
// JSON Lines records already written in canonical form are hashed straight from their bytes (fastRecord.ts);
// every other record is parsed and canonicalized. For large files a worker thread (chunkWorker.ts) hashes the file,
// checks the bytes of the lines the fast path took and, unless the tree is needed while streaming, the Merkle leaves.
// Memory: about 55 bytes per record plus the findings; records are not kept.
import type { KeyObject } from 'node:crypto';
import type { ContainerFormat } from '../ingest/detectFormat';
import { DEFAULT_MAX_LINE_BYTES } from '../ingest/lineReader';
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
import { FastRecords, fastPathApplies } from './fastRecord';
import { ChunkWorker, type ChunkWorkerResult } from './chunkWorker';
import { sha256OfExport, spareCores, workerTuning } from './fileHash';
import { BATCH_CHUNK_BYTES, LINE_CLEAN, LINE_OVERSIZE, lineEvent, oversizeEvent, readJsonlBatches, type ChunkBuffers } from './jsonlBatches';
import { openSources, type IntegrityInput } from './logSources';
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
  /**
   * Compute the RFC 6962 root over all chain records (report.merkle) for every log. By default it is computed for
   * logs under 32 MiB and whenever the tree is needed (checkpoints, inclusion proofs, a digest file); for a larger
   * log without any of those it costs a full extra SHA-256 pass that checks nothing, and report.merkle is null.
   */
  merkleRoot?: boolean;
  /** Hash records written in canonical form straight from their bytes (default true); false parses every record. */
  fastPath?: boolean;
  /** The clock, for tests. */
  now?: () => Date;
  /** Called as each reading of the log starts, with how it is read (tests and benchmarks; see runPass in verify.ts). */
  onPass?: (pass: { worker: boolean; leaves: 'thread' | 'worker' | 'none'; hashOnWorker: boolean }) => void;
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

/**
 * Stops a pass that cannot finish as it was set up; it is run again in a safer mode (runPass): the tree turned out
 * to be needed while streaming (a checkpoint, an inclusion proof) without the leaves on this thread; a record hash
 * the fast path left to the worker did not come out as stored; or the worker failed.
 */
class Restart extends Error {
  constructor(readonly next: (m: PassMode) => PassMode) {
    super('restart');
  }
}

/**
 * How a pass is run. worker: a chunkWorker hashes plain JSON Lines files for the report, confirms the record hashes
 * of the fast path's records in the usual layout (with hashOnWorker) and, with leaves 'worker', hashes the Merkle
 * leaves; else all of it is done on this thread. leaves: 'thread' keeps the tree here (needed while streaming by
 * checkpoints, proofs and a digest file), 'worker' only wants its root at the end, 'none' computes no leaves (no
 * root in the report).
 */
interface PassMode {
  worker: boolean;
  leaves: 'thread' | 'worker' | 'none';
  hashOnWorker: boolean;
}

const NEED_TREE = new Restart((m) => ({ ...m, leaves: 'thread' }));
const HASH_MISMATCH = new Restart((m) => ({ ...m, hashOnWorker: false }));
const WORKER_FAILED = new Restart((m) => ({ worker: false, leaves: m.leaves === 'none' ? 'none' : 'thread', hashOnWorker: false }));

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
  const fastPath = options.fastPath !== false;

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
  // The export's SHA-256, read separately for the files the worker does not hash while reading them.
  const separateHashes: (Promise<string | null> | undefined)[] = [];
  const separateHash = (i: number): Promise<string | null> => {
    let h = separateHashes[i];
    if (!h) {
      const s = sources[i];
      h = s.info.format === 'values' ? Promise.resolve(null) : sha256OfExport(s.name, s.info.bytes, signal);
      h.catch(() => undefined); // awaited at the end; an abort must not leave an unhandled rejection
      separateHashes[i] = h;
    }
    return h;
  };

  const multi = sources.length > 1;
  const fileOf = (loc: number) => Math.floor(loc / LINE_SPAN);
  const lineOf = (loc: number) => loc % LINE_SPAN;
  const whereLoc = (loc: number) => (loc === 0 ? 'the log' : multi ? `${sources[fileOf(loc)].name}:${lineOf(loc)}` : `line ${lineOf(loc)}`);
  const base = (loc: number): Pick<Finding, 'line' | 'file'> => (multi && loc !== 0 ? { line: lineOf(loc), file: sources[fileOf(loc)].name } : { line: lineOf(loc) });

  /** One reading of the log. */
  const runPass = async (mode: PassMode) => {
    let cw: ChunkWorker | null = null;
    if (mode.worker) {
      try {
        cw = new ChunkWorker(BATCH_CHUNK_BYTES);
      } catch {
        mode = { worker: false, leaves: mode.leaves === 'none' ? 'none' : 'thread', hashOnWorker: false };
      }
    }
    try {
      return await readPass(mode, cw);
    } finally {
      cw?.stop();
    }
  };

  const readPass = async (mode: PassMode, cw: ChunkWorker | null) => {
    options.onPass?.({ ...mode });
    const leaves = mode.leaves === 'thread';
    const leavesOnWorker = mode.leaves === 'worker';
    const hashOnWorker = mode.hashOnWorker && cw !== null;
    /** Plain JSON Lines files are read into the worker's buffers: it hashes the file from them. */
    const chunked = (i: number) => cw !== null && fastPath && sources[i].info.format === 'jsonl' && !sources[i].info.compressed;
    sources.forEach((_, i) => {
      if (!chunked(i)) void separateHash(i);
    });
    const findings = new FindingList(options.maxFindings ?? 10_000);
    let table: ChainTable | null = null;
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
    let fast: FastRecords | null = null;
    let batchBuf: Buffer | null = null;
    let inChunk = false; // the current batch's buffer goes to the worker
    const counts = { values: 0, chain: 0, hashesMatched: 0, fastPath: 0, checkpoints: 0, skippedLines: 0, blankLines: 0, notObjects: 0 };
    let treeSize = 0; // leaves of the tree (on this thread or on the worker)
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

    /** A chain record with a hash field, once its hash was checked: into the table (and its proof to the checker). */
    const addLinked = (loc: number, hashText: string, stored: Buffer | null, ok: boolean, computedText: string | undefined, prev: unknown, seqValue: unknown, tsValue: unknown, id: string | undefined, proof: unknown, proofLeaf: Buffer | null): void => {
      const p = profile as IntegrityProfile;
      const f = p.fields;
      if (ok) counts.hashesMatched += 1;
      const isGenesis = f.prevHash !== null && genesisMatch(p, prev);
      const x = (table as ChainTable).add({
        loc,
        hash: hashValueBytes(hashText, stored),
        hashText,
        prevIsGenesis: isGenesis,
        prev: !isGenesis && typeof prev === 'string' && prev !== '' ? hashValueBytes(prev, decodeAs(prev, p.encoding)) : null,
        prevText: typeof prev === 'string' ? prev : undefined,
        ok,
        computedText,
        seq: typeof seqValue === 'number' ? seqValue : Number.NaN,
        ts: f.timestamp ? timestampMs(tsValue) : Number.NaN,
        id,
      });
      if (proof !== undefined && proofLeaf !== null) (proofs as ProofChecker).onRecord(x, proof, proofLeaf, tree);
    };

    /** The full path: canonicalize the parsed record, hash it, compare. */
    const handleRecord = (value: Record<string, unknown>, loc: number): void => {
      const p = profile as IntegrityProfile;
      const f = p.fields;
      counts.chain += 1;
      if (!leaves && value[MERKLE_PROOF_FIELD] !== undefined) throw NEED_TREE;
      let canonical: string | null = null;
      try {
        canonical = canonicalText(p, value);
      } catch {
        canonical = null; // e.g. a number JSON.parse turned into Infinity: the hash cannot match
      }
      const bytes = Buffer.from(canonical ?? JSON.stringify(value), 'utf8'); // encoded once for both hashes
      treeSize += 1;
      const leaf = leaves ? leafHash(bytes) : null;
      if (leaf) tree.append(leaf);
      else if (leavesOnWorker) (cw as ChunkWorker).leafText(bytes);
      const hashText = value[f.hash];
      if (typeof hashText !== 'string') {
        const seqValue = f.seq ? value[f.seq] : undefined;
        const seq = typeof seqValue === 'number' ? seqValue : Number.NaN;
        const ts = f.timestamp ? timestampMs(value[f.timestamp]) : Number.NaN;
        (table as ChainTable).add({ loc, hash: null, hashText: undefined, prevIsGenesis: false, prev: null, prevText: undefined, ok: false, computedText: undefined, seq, ts, id: recordId(value) });
        return;
      }
      const stored = decodeAs(hashText, p.encoding);
      const computed = canonical === null ? null : digestText(p, bytes, key);
      const ok = stored !== null && computed !== null && stored.equals(computed);
      const computedText = ok || computed === null ? undefined : encodeAs(computed, p.encoding);
      const prev = f.prevHash ? value[f.prevHash] : undefined;
      const seqValue = f.seq ? value[f.seq] : undefined;
      const tsValue = f.timestamp ? value[f.timestamp] : undefined;
      addLinked(loc, hashText, stored, ok, computedText, prev, seqValue, tsValue, recordId(value), value[MERKLE_PROOF_FIELD], canonical !== null ? leaf : null);
    };

    /** The fast path took the line just scanned (fastRecord.ts): its hash matches the canonical text it is written in. */
    const handleFast = (f: FastRecords, loc: number): void => {
      lastLoc = loc;
      counts.values += 1;
      counts.chain += 1;
      counts.fastPath += 1;
      const proof = f.proof();
      if (!leaves && proof !== undefined) throw NEED_TREE;
      treeSize += 1;
      if (f.leaf) tree.append(f.leaf);
      else if (leavesOnWorker) {
        const w = cw as ChunkWorker;
        const to = inChunk ? f.sliceEnd() : -1;
        if (to >= 0) w.leafInChunk(f.start, to);
        else {
          const n = f.canonicalLength();
          const at = w.reserveSide(n);
          f.writeCanonical(at.buffer, at.offset);
          w.commitSide(n);
        }
      }
      addLinked(loc, f.hashText, f.stored, true, undefined, f.prev(), f.seq(), f.timestamp(), f.id(), proof, f.leaf);
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
        if (heads && table) {
          if (!leaves) throw NEED_TREE;
          heads.onCheckpoint(ev.value, loc, table, tree);
        }
        return;
      }
      if (table) handleRecord(ev.value, loc);
      else counts.chain += 1;
    };

    const decide = (): void => {
      detection = detectProfile(samples, hints, key);
      if (detection.status === 'found' && detection.profile) {
        profile = detection.profile;
        // Size the table for the whole log from the lines read so far (file inputs), instead of growing it.
        const seen = buffered.reduce((n, b) => n + b.ev.loc.byteLength + 1, 0);
        const expected = seen > 0 && buffered.length > 0 ? Math.round(totalBytes / (seen / buffered.length)) : 0;
        table = new ChainTable(profile.fields.prevHash !== null, expected);
        heads = new TreeHeadChecker(keys, profile.encoding, reporter);
        proofs = new ProofChecker(reporter);
        if (digestHead) heads.setDigest(digestHead, tree);
        if (fastPath && fastPathApplies(profile, ID_FIELDS)) {
          fast = new FastRecords(profile, key, checkpointType, ID_FIELDS, leaves);
          if (batchBuf) fast.setBuffer(batchBuf);
          fast.deferHashes = hashOnWorker && inChunk;
          if (cw) cw.algorithm = profile.algorithm;
        }
      } else {
        report(0, 'unverifiable', 'medium', detection.reason);
      }
      for (const b of buffered) handle(b.ev, b.loc);
      buffered.length = 0;
    };

    let events = 0;
    const progress = () => options.onProgress?.({ records: counts.chain, bytes: bytesRead, totalBytes });
    const step = (ev: ReadEvent, loc: number): void => {
      events += 1;
      if ((events & 255) === 0) signal?.throwIfAborted();
      if (!detection) {
        buffered.push({ ev, loc });
        if (ev.kind === 'value' && isRecord(ev.value) && !isTreeHeadType(ev.value, checkpointType)) samples.push(ev.value);
        if (samples.length >= DETECTION_SAMPLE) decide();
      } else {
        handle(ev, loc);
      }
      if ((events % 1000) === 0) progress();
    };
    /** Lets the worker catch up with texts sent on their own; its failure makes the pass start over without it. */
    const catchUp = async (): Promise<void> => {
      if (!cw) return;
      try {
        await cw.flushSide();
      } catch {
        throw WORKER_FAILED;
      }
    };

    for (const [fileIndex, source] of sources.entries()) {
      const at = fileIndex * LINE_SPAN;
      if (!(fastPath && source.info.format === 'jsonl')) {
        for await (const ev of source.events()) {
          step(ev, at + ev.loc.line);
          if ((events & 1023) === 0) await catchUp();
        }
        continue;
      }
      // JSON Lines: raw lines, each taken by the fast path when it can be, else read exactly as readJsonl reads it.
      const w = cw;
      const toWorker = chunked(fileIndex) && w !== null;
      const buffers: ChunkBuffers | undefined = toWorker
        ? {
            acquire: (min) => w.acquire(min).catch(() => Promise.reject(WORKER_FAILED)),
            release: (buf, from, to) => w.release(buf, fileIndex, from, to),
            discard: (buf) => w.discard(buf),
          }
        : undefined;
      for await (const item of readJsonlBatches(source.name, { onProgress: (n) => onBytes(fileIndex, n), buffers })) {
        if ('event' in item) {
          inChunk = false;
          step(item.event, at + item.event.loc.line);
          continue;
        }
        const bt = item.batch;
        batchBuf = bt.buf;
        inChunk = toWorker;
        const fr = fast as FastRecords | null;
        if (fr) {
          fr.setBuffer(bt.buf);
          fr.deferHashes = hashOnWorker && inChunk;
        }
        for (let k = 0; k < bt.count; k++) {
          const line = bt.first + k;
          const flags = bt.flags[k];
          const f = fast as FastRecords | null; // set by decide(), possibly within this batch
          if (f && (flags & LINE_CLEAN) !== 0 && f.take(bt.start[k], bt.end[k])) {
            if (f.deferred) (w as ChunkWorker).confirmHash(f.start, f.sliceEnd(), f.hashAt);
            events += 1;
            if ((events & 255) === 0) signal?.throwIfAborted();
            handleFast(f, at + line);
            if ((events % 1000) === 0) progress();
            continue;
          }
          const offset = bt.base + bt.start[k];
          step((flags & LINE_OVERSIZE) !== 0 ? oversizeEvent(line, offset, bt.length[k], DEFAULT_MAX_LINE_BYTES) : lineEvent(bt.buf, bt.start[k], bt.end[k], line, offset, bt.length[k]), at + line);
        }
        if (!toWorker) await catchUp();
      }
      batchBuf = null;
      inChunk = false;
    }
    signal?.throwIfAborted();
    if (!detection) decide();

    let seqMode: SeqMode = 'none';
    // (Assigned inside decide(); the casts undo TypeScript's narrowing of the `let`s to null.)
    const chainTable = table as ChainTable | null;
    const checker = heads as TreeHeadChecker | null;
    const proofChecker = proofs as unknown as ProofChecker | null;
    const chosen = profile as IntegrityProfile | null;

    // What the worker did: the file hashes, the record hashes left to it (all must be as stored), the Merkle root.
    let fromWorker: ChunkWorkerResult | null = null;
    if (cw) {
      try {
        fromWorker = await cw.finish(leavesOnWorker);
      } catch {
        throw WORKER_FAILED;
      }
      if (fromWorker.mismatches > 0) throw HASH_MISMATCH;
    }

    if (chainTable && checker && chosen) {
      const outcome = classifyChain(chainTable, { genesisRequired: chosen.genesisRequired, linked: chosen.fields.prevHash !== null }, reporter.atRecord, reporter.where);
      seqMode = outcome.seqMode;
      checker.finish(outcome, chainTable, tree, { firstSkipIndex, lastLoc });
      (proofChecker as ProofChecker).finish(outcome, checker.signedRoots(), tree);
      if ((options.requireCheckpoints || config.checkpoints?.required) && !checker.lastVerified) {
        report(0, 'unverifiable', 'medium', 'signed checkpoints are required, and no checkpoint or digest signature verified');
      }
    }
    progress();
    let merkle: { root: string; treeSize: number } | null = null;
    if (chainTable) {
      if (leaves) merkle = { root: tree.range.root().toString('hex'), treeSize: tree.size };
      else if (leavesOnWorker) {
        const w = fromWorker as ChunkWorkerResult;
        if (w.size !== treeSize || w.root === null) throw new Error(`internal error: the worker hashed ${w.size} Merkle leaves, not ${treeSize}`);
        merkle = { root: w.root, treeSize };
      }
    }
    const fileHashes = sources.map((_, i) => (chunked(i) && fromWorker && fromWorker.files[i] !== undefined ? Promise.resolve(fromWorker.files[i]) : separateHash(i)));
    return {
      findings,
      detection: detection as Detection | null,
      profile: chosen,
      chainTable,
      checker,
      proofChecker,
      counts,
      seqMode,
      merkle,
      fileHashes,
    };
  };

  // The worker pays off for large files (a pass can be read again) with a core to spare. Merkle leaves: on this
  // thread when a digest file wants the tree while streaming, or for a small log (they cost next to nothing); for a
  // large one only when asked (on the worker), or once a checkpoint or proof turns up (NEED_TREE).
  const large = totalBytes >= workerTuning.minBytes && sources.every((s) => s.info.format !== 'values');
  const useWorker = large && spareCores();
  const leafMode: PassMode['leaves'] = digestHead !== null || !large ? 'thread' : options.merkleRoot ? (useWorker ? 'worker' : 'thread') : 'none';
  let mode: PassMode = { worker: useWorker, leaves: leafMode, hashOnWorker: useWorker };
  let pass: Awaited<ReturnType<typeof runPass>>;
  for (;;) {
    try {
      pass = await runPass(mode);
      break;
    } catch (err) {
      if (!(err instanceof Restart)) throw err;
      const next = err.next(mode);
      if (next.worker === mode.worker && next.leaves === mode.leaves && next.hashOnWorker === mode.hashOnWorker) throw new Error('internal error: a pass asked to run again as it was');
      mode = next;
    }
  }

  const digests = await Promise.all(pass.fileHashes);
  sources.forEach((s, i) => (s.info.sha256 = digests[i]));

  const { findings, detection: det, profile, chainTable, checker, proofChecker, counts, seqMode } = pass;
  const state = chainTable ? 'checked' : det?.status === 'no-chain' ? 'no-chain' : 'unverifiable';
  const verdict = verdictOf(findings, state);
  const lastV = checker?.lastVerified?.summary ?? null;
  const fileNames = sources.map((s) => s.name);
  const result: IntegrityReport = {
    verdict,
    summary: '',
    files: sources.map((s) => s.info),
    exportSha256: sources[0]?.info.sha256 ?? null,
    profile: profile ? { ...profile, name: profileName(profile) } : null,
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
    merkle: pass.merkle,
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
