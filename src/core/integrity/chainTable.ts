// Phase 1 of chain verification: what the verifier remembers about each chain record while the log streams past,
// in compact arrays (about 30 bytes a record plus the hash index, about 24 bytes a record): where it is, which
// earlier or later record its prev-hash points to, whether its own hash matched its content, its seq and time.
// The records themselves are not kept. Phase 2 (classifyChain.ts) reads these arrays to classify what went wrong.
//
// Links are followed by the first 8 bytes of a hash (HashIndex), but the link to the record just before (the
// normal case) and to the 16 records before it is confirmed on all bytes: a link that matches only on the prefix
// counts as broken. A link to a record further away is only ever used to classify a break, never to accept one.
import { createHash } from 'node:crypto';
import { Growable, HashIndex } from './compact';

/** pred value: the record links to the genesis value. */
export const GEN = -1;
/** pred value: the record links to a hash no record in the log has (or to nothing). */
export const DANGLING = -2;

/** Flag: the record's hash matches its content. */
export const F_OK = 1;
/** Flag: the record has no hash field (it cannot be part of the chain). */
export const F_NOHASH = 2;
/** Flag: an earlier record has the same hash (a replay). */
export const F_DUP = 4;
/** Flag: a line the reader skipped (or a value that is not a record) comes just before this record. */
export const F_SKIP_BEFORE = 8;

/** Text kept only for records near an anomaly, for the findings' recordId / expected / actual. */
export interface RecordNote {
  id?: string;
  hash?: string;
  prev?: string;
  /** The hash the content gives, kept only when it differs from `hash`. */
  computed?: string;
}

export interface ChainRecordInput {
  /** Encoded location: fileIndex * 2^32 + line. */
  loc: number;
  /** Bytes of the hash value (see hashValueBytes), or null when the record has no hash field. */
  hash: Buffer | null;
  hashText: string | undefined;
  /** The prev-hash is the genesis value. */
  prevIsGenesis: boolean;
  /** Bytes of the prev-hash value, or null when absent or empty. */
  prev: Buffer | null;
  prevText: string | undefined;
  ok: boolean;
  /** The hash the content gives (encoded as the profile says); only needed when `ok` is false. */
  computedText: string | undefined;
  /** NaN when absent. */
  seq: number;
  /** Milliseconds since the epoch, NaN when absent or unreadable. */
  ts: number;
  id: string | undefined;
}

const RING = 16;
const MAX_NOTES = 100_000;
const MAX_PENDING = 100_000;

/**
 * The bytes a hash value stands for: its decoding when it decodes to at least 8 bytes, else a SHA-256 of the text
 * (so any string, however malformed, gets a well-spread key and compares exactly).
 */
export function hashValueBytes(text: string, decoded: Buffer | null): Buffer {
  if (decoded && decoded.length >= 8) return decoded;
  return createHash('sha256').update('auditlens:value:').update(text, 'utf8').digest();
}

function noteOf(r: ChainRecordInput): RecordNote {
  return { id: r.id, hash: r.hashText, prev: r.prevText, computed: r.computedText };
}

export class ChainTable {
  readonly loc: Growable<Float64Array>;
  readonly pred: Growable<Int32Array>;
  readonly seq: Growable<Float64Array>;
  readonly ts: Growable<Float64Array>;
  readonly flags: Growable<Uint8Array>;
  readonly index: HashIndex;
  readonly notes = new Map<number, RecordNote>();
  /** For replayed records: the index of the earlier record with the same hash. */
  readonly dupOf = new Map<number, number>();
  /** False once anything unusual was seen; while true, a checkpoint can be confirmed on the spot. */
  clean = true;
  /** Hash text of the last record that is part of the chain. */
  lastHashText: string | undefined;

  /** Records whose link names a hash not seen yet (it may come later: a moved record), by that hash's key. */
  private readonly pendingIndex = new HashIndex(16);
  private readonly pendingLists: number[][] = [];
  private pendingCount = 0;
  /** The last RING chain records (index and hash), oldest first from ringStart; no allocation per record. */
  private readonly ringIndex = new Int32Array(RING);
  private readonly ringHash: Buffer[] = [];
  private ringStart = 0;
  private ringLength = 0;
  private lastAlive = -1;
  /** The last chain record's input: its note is made only when it is needed. */
  private lastInput: ChainRecordInput | null = null;
  private skipSinceLast = false;

  /**
   * @param linked   false when the profile has no prev-hash field: each record is then taken to follow the one before
   * @param expected about how many records will come (sizes the arrays once instead of growing them)
   */
  constructor(
    private readonly linked: boolean,
    expected = 0,
  ) {
    const capacity = Math.max(1024, Math.min(Math.ceil(expected * 1.05), 1 << 20));
    this.loc = new Growable(Float64Array, capacity);
    this.pred = new Growable(Int32Array, capacity);
    this.seq = new Growable(Float64Array, capacity);
    this.ts = new Growable(Float64Array, capacity);
    this.flags = new Growable(Uint8Array, capacity);
    this.index = new HashIndex(Math.max(1 << 12, capacity));
  }

  get count(): number {
    return this.flags.length;
  }

  /** A skipped line or a non-record value was read: the next record's broken link is explained by it. */
  noteSkip(): void {
    this.skipSinceLast = true;
    this.clean = false;
  }

  /** Bytes held by the arrays and the index (for the memory figure in the benchmark). */
  get bytes(): number {
    return this.loc.bytes + this.pred.bytes + this.seq.bytes + this.ts.bytes + this.flags.bytes + this.index.bytes;
  }

  private note(x: number, n: RecordNote): void {
    if (this.notes.size < MAX_NOTES || this.notes.has(x)) this.notes.set(x, n);
  }

  /** The record (within the last 16 chain records, compared on all bytes) whose hash is `bytes`, or -1. */
  recentWithHash(bytes: Buffer): number {
    for (let i = this.ringLength - 1; i >= 0; i--) {
      const at = (this.ringStart + i) % RING;
      if (this.ringHash[at].equals(bytes)) return this.ringIndex[at];
    }
    return -1;
  }

  /** The ring slot of record x when it is one of the last 16 chain records, else -1. */
  private ringSlot(x: number): number {
    for (let i = 0; i < this.ringLength; i++) {
      const at = (this.ringStart + i) % RING;
      if (this.ringIndex[at] === x) return at;
    }
    return -1;
  }

  /** The first record whose hash has these bytes (matched on the first 8 bytes), or -1. */
  findHash(bytes: Buffer): number {
    return this.index.get(bytes.readUInt32BE(0), bytes.readUInt32BE(4));
  }

  add(r: ChainRecordInput): number {
    const x = this.count;
    let flags = (r.ok ? F_OK : 0) | (this.skipSinceLast ? F_SKIP_BEFORE : 0);
    this.skipSinceLast = false;
    this.loc.push(r.loc);
    this.seq.push(r.seq);
    this.ts.push(r.ts);

    if (!r.hash) {
      this.flags.push(flags | F_NOHASH);
      this.pred.push(DANGLING);
      this.note(x, noteOf(r));
      this.clean = false;
      return x;
    }
    const hi = r.hash.readUInt32BE(0);
    const lo = r.hash.readUInt32BE(4);
    const earlier = this.index.setIfAbsent(hi, lo, x);
    if (earlier >= 0) {
      this.flags.push(flags | F_DUP);
      this.pred.push(DANGLING);
      if (this.dupOf.size < MAX_NOTES) this.dupOf.set(x, earlier);
      this.note(x, noteOf(r));
      this.clean = false;
      return x;
    }
    // Records that pointed forward at this hash now know their predecessor.
    if (this.pendingCount > 0) {
      const at = this.pendingIndex.get(hi, lo);
      if (at >= 0) {
        for (const w of this.pendingLists[at]) this.pred.data[w] = x;
        this.pendingLists[at] = [];
      }
    }

    const expected = this.lastAlive >= 0 ? this.lastAlive : GEN;
    let p: number;
    if (!this.linked) p = expected;
    else if (r.prevIsGenesis) p = GEN;
    else if (!r.prev) p = DANGLING;
    else if (this.lastAlive >= 0 && this.ringHash[(this.ringStart + this.ringLength - 1) % RING].equals(r.prev)) p = this.lastAlive;
    else {
      const phi = r.prev.readUInt32BE(0);
      const plo = r.prev.readUInt32BE(4);
      const t = this.index.get(phi, plo);
      if (t === x) p = DANGLING; // links to itself
      else if (t >= 0) {
        const recent = this.ringSlot(t);
        p = recent >= 0 && !this.ringHash[recent].equals(r.prev) ? DANGLING : t;
      } else {
        p = DANGLING;
        if (this.pendingCount < MAX_PENDING) {
          const at = this.pendingIndex.setIfAbsent(phi, plo, this.pendingLists.length);
          if (at >= 0) this.pendingLists[at].push(x);
          else this.pendingLists.push([x]);
          this.pendingCount += 1;
        }
      }
    }
    this.flags.push(flags);
    this.pred.push(p);

    const last = this.lastAlive;
    const seqOdd = last >= 0 && !Number.isNaN(r.seq) && r.seq !== this.seq.data[last] + 1;
    const tsOdd = last >= 0 && r.ts < this.ts.data[last];
    if (!r.ok || p !== expected || seqOdd || tsOdd || (flags & F_SKIP_BEFORE) !== 0) {
      this.note(x, noteOf(r));
      if (last >= 0) this.note(last, this.lastInput ? noteOf(this.lastInput) : {});
    }
    if (!r.ok || p !== expected || (flags & F_SKIP_BEFORE) !== 0) this.clean = false;

    this.lastAlive = x;
    this.lastInput = r;
    this.lastHashText = r.hashText;
    const slot = (this.ringStart + this.ringLength) % RING;
    this.ringIndex[slot] = x;
    this.ringHash[slot] = r.hash;
    if (this.ringLength < RING) this.ringLength += 1;
    else this.ringStart = (this.ringStart + 1) % RING;
    return x;
  }
}
