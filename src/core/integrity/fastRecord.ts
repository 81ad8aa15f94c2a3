// The fast path of verifyIntegrity: a chain record whose line is already its canonical text (plus the members the
// hash leaves out) is hashed straight from the line's bytes, without JSON.parse or canonicalize.
//
//   1. canonicalLine.ts checks that the line, with the hash / signature / merkle_proof members cut out, is exactly
//      the canonical text (jcs or sorted) of the record those members are cut from, and finds the members;
//   2. those bytes are hashed as the profile says (plain or HMAC, any algorithm);
//   3. only when the digest equals the stored hash is the record taken: the fields the verifier needs (the stored
//      hash, prev-hash, seq, timestamp, id, merkle_proof) are read from their spans in the line.
// Why that is the same as the full path: the full path hashes canonical(covered(JSON.parse(line))), and step 1
// establishes that these are the very bytes hashed in step 2, so both compute the same digest and read the same
// fields. Any line the scanner does not recognise, a checkpoint record, a record without a string hash, or a digest
// that differs from the stored hash is handed back (take() is false) and goes the full path, which then reports
// exactly what it always did. With deferHashes (large files), step 2 for a record in the usual layout is the worker's
// (chunkWorker.ts confirmHash) and step 3 takes the stored hash until then; verify.ts discards the whole reading and
// reads the log again, hashing here, if the worker finds even one that differs.
import * as crypto from 'node:crypto';
import { CanonicalLineScanner, MAX_MEMBERS } from './canonicalLine';
import { decodeAs, decodeHex } from './encoding';
import { DIGEST_BYTES, MERKLE_PROOF_FIELD, type IntegrityProfile } from './profiles';

const QUOTE = 0x22;
const OPEN = 0x7b;
const CLOSE = 0x7d;
const EMPTY_OBJECT = Buffer.from('{}');
const LEAF_PREFIX = Buffer.from([0x00]);

/** Node's one-shot hash (Node 20.12+): no Hash object per record. */
const oneShot = (crypto as unknown as { hash?: (alg: string, data: Buffer, enc: 'hex' | 'buffer') => string | Buffer }).hash;

/** The value of a hex digit (either case), or -256 (no byte matches it then). */
const hexDigit = (c: number): number => (c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -256);

const digit = (c: number): number => (c >= 0x30 && c <= 0x39 ? c - 0x30 : -100);

/**
 * Milliseconds of b[s, e) when it is `YYYY-MM-DDTHH:MM:SS.sssZ` with a year from 1000, a day up to 28 and a time
 * within the day (what Date.parse gives for it, without making a string); NaN for any other text.
 */
export function isoMillis(b: Buffer, s: number, e: number): number {
  if (e - s !== 24 || b[s + 4] !== 0x2d || b[s + 7] !== 0x2d || b[s + 10] !== 0x54 || b[s + 13] !== 0x3a || b[s + 16] !== 0x3a || b[s + 19] !== 0x2e || b[s + 23] !== 0x5a) return Number.NaN;
  const year = digit(b[s]) * 1000 + digit(b[s + 1]) * 100 + digit(b[s + 2]) * 10 + digit(b[s + 3]);
  const month = digit(b[s + 5]) * 10 + digit(b[s + 6]);
  const day = digit(b[s + 8]) * 10 + digit(b[s + 9]);
  const hour = digit(b[s + 11]) * 10 + digit(b[s + 12]);
  const minute = digit(b[s + 14]) * 10 + digit(b[s + 15]);
  const second = digit(b[s + 17]) * 10 + digit(b[s + 18]);
  const ms = digit(b[s + 20]) * 100 + digit(b[s + 21]) * 10 + digit(b[s + 22]);
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > 28 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || ms < 0) return Number.NaN;
  // Days since 1970-01-01 in the proleptic Gregorian calendar (as ECMAScript counts them; H. Hinnant's days_from_civil).
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  const days = era * 146097 + doe - 719468;
  return ((days * 24 + hour) * 60 + minute) * 60000 + second * 1000 + ms;
}

/**
 * The profiles the fast path can take: the canonicalizations whose text the scanner knows, all fields covered, and
 * field names that are not also names of Object.prototype's members (a parsed record "has" those even when absent).
 */
export function fastPathApplies(p: IntegrityProfile, idFields: readonly string[]): boolean {
  const names = [p.fields.hash, p.fields.prevHash, p.fields.seq, p.fields.timestamp, p.fields.signature, MERKLE_PROOF_FIELD, 'type', ...idFields];
  return (p.canonicalization === 'jcs' || p.canonicalization === 'sorted') && p.covered === null && names.every((n) => n === null || !(n in Object.prototype));
}

export class FastRecords {
  /** After take(): the stored hash, as written and decoded (it equals the digest of the record's canonical text). */
  hashText = '';
  stored: Buffer = EMPTY_OBJECT;
  /** After take(): the Merkle leaf hash (RFC 6962) of the canonical text, when leaves are wanted; else null. */
  leaf: Buffer | null = null;
  /**
   * Leave the record hash of records in the usual layout to the caller's worker (chunkWorker.ts confirmHash): take()
   * then takes such a record on its stored hash, and the caller must have that hash confirmed before it reports.
   */
  deferHashes = false;
  /** After take(): the record hash was not computed (deferHashes); its hex digits start at hashAt. */
  deferred = false;
  hashAt = 0;

  private readonly scanner: CanonicalLineScanner;
  private readonly hashField: number;
  private readonly prevField: number;
  private readonly seqField: number;
  private readonly tsField: number;
  private readonly proofField: number;
  private readonly typeField: number;
  private readonly checkpointTypeBytes: Buffer;
  private readonly idFields: number[];
  private b: Buffer = EMPTY_OBJECT;
  private s = 0;
  private e = 0;
  /** The hashed text as pieces of the line: [from, to) pairs, plus a '{' before / '}' after when not in the line. */
  private readonly pieces = new Int32Array(2 * MAX_MEMBERS + 2);
  private pieceCount = 0;
  private openOutside = false;
  private closeOutside = false;

  /**
   * @param idFields the fields a record id is read from, in order (verify.ts recordId)
   * @param leaves   compute the Merkle leaf of every record taken (else the caller copies its canonical text)
   */
  constructor(
    private readonly profile: IntegrityProfile,
    private readonly key: Buffer | undefined,
    private readonly checkpointType: string,
    idFields: readonly string[],
    private readonly leaves: boolean,
  ) {
    const f = profile.fields;
    const names: string[] = [];
    const excluded: boolean[] = [];
    const add = (name: string | null, exclude = false): number => {
      if (name === null) return -1;
      let i = names.indexOf(name);
      if (i < 0) {
        i = names.push(name) - 1;
        excluded.push(false);
      }
      if (exclude) excluded[i] = true;
      return i;
    };
    // What coveredFields leaves out when no explicit list is given: hash, signature, merkle_proof.
    this.hashField = add(f.hash, true);
    add(f.signature, true);
    this.proofField = add(MERKLE_PROOF_FIELD, true);
    this.prevField = add(f.prevHash);
    this.seqField = add(f.seq);
    this.tsField = add(f.timestamp);
    this.typeField = add('type');
    this.checkpointTypeBytes = Buffer.from(checkpointType, 'utf8');
    this.idFields = idFields.map((n) => add(n));
    this.scanner = new CanonicalLineScanner(names, excluded, profile.canonicalization === 'jcs' ? 'utf16' : 'codepoint');
  }

  /** The buffer the next lines are in (call it for every batch). */
  setBuffer(b: Buffer): void {
    this.b = b;
    this.scanner.setBuffer(b);
  }

  /**
   * True when the record in b[s, e) is taken by the fast path: its hash matches the canonical text in the line.
   * May change bytes of the buffer outside b[s, e) while it runs (the newline before the line), never after.
   */
  take(s: number, e: number): boolean {
    const sc = this.scanner;
    if (!sc.scan(s, e)) return false;
    const b = this.b;
    this.s = s;
    this.e = e;
    // A checkpoint is not a chain record; a record without a string hash goes the full path (it has findings).
    if (sc.valueStart[this.typeField] >= 0 && this.isCheckpointType()) return false;
    const hs = sc.valueStart[this.hashField];
    if (hs < 0 || b[hs] !== QUOTE || sc.valueEscaped[this.hashField] === 1) return false;
    const he = sc.valueEnd[this.hashField] - 1;
    this.cut();
    const p = this.profile;
    const hashText = b.toString('latin1', hs + 1, he);
    let stored: Buffer | null;
    this.deferred = false;
    if (this.deferHashes && !p.keyed && p.encoding === 'hex' && this.oneSlice) {
      // Taken on the stored hash, which must be hex of the digest's length; the worker computes the digest.
      stored = hashText.length === 2 * DIGEST_BYTES[p.algorithm] ? decodeHex(hashText) : null;
      if (stored === null) return false;
      this.deferred = true;
      this.hashAt = hs + 1;
    } else if (!p.keyed && p.encoding === 'hex') {
      // The digest against the hex digits in the line (either case, as decodeHex reads them); equal, it is the stored value.
      const digest = this.hashOneShot(p.algorithm);
      if (he - hs - 1 !== 2 * digest.length) return false;
      for (let k = 0; k < digest.length; k++) {
        if (((hexDigit(b[hs + 1 + 2 * k]) << 4) | hexDigit(b[hs + 2 + 2 * k])) !== digest[k]) return false;
      }
      stored = digest;
    } else {
      const h = p.keyed ? crypto.createHmac(p.algorithm, this.key as Buffer) : crypto.createHash(p.algorithm);
      this.feed(h);
      for (let i = hs + 1; i < he; i++) if (b[i] >= 0x80) return false; // hash values are ASCII (hex or base64)
      stored = decodeAs(hashText, p.encoding);
      if (stored === null || !stored.equals(h.digest())) return false;
    }
    this.hashText = hashText;
    this.stored = stored;
    this.leaf = this.leaves ? this.leafHash() : null;
    return true;
  }

  /** The type member of the line just scanned is the checkpoint type (compared as bytes when written without escapes). */
  private isCheckpointType(): boolean {
    const sc = this.scanner;
    const b = this.b;
    const vs = sc.valueStart[this.typeField];
    if (b[vs] !== QUOTE) return false;
    if (sc.valueEscaped[this.typeField] === 1) return this.value(this.typeField) === this.checkpointType;
    const t = this.checkpointTypeBytes;
    if (sc.valueEnd[this.typeField] - vs - 2 !== t.length) return false;
    for (let k = 0; k < t.length; k++) if (b[vs + 1 + k] !== t[k]) return false;
    return true;
  }

  /** The prev-hash value of the record taken (as JSON.parse gives it; undefined when absent). */
  prev(): unknown {
    return this.prevField >= 0 && this.scanner.valueStart[this.prevField] >= 0 ? this.value(this.prevField) : undefined;
  }

  /** The seq value (as JSON.parse gives it; undefined when absent). */
  seq(): unknown {
    const f = this.seqField;
    if (f < 0 || this.scanner.valueStart[f] < 0) return undefined;
    const b = this.b;
    const vs = this.scanner.valueStart[f];
    const ve = this.scanner.valueEnd[f];
    if (ve - vs <= 15) {
      // A canonical integer (the scanner checked the form): its digits, without a string in between.
      let n = 0;
      let i = vs;
      for (; i < ve; i++) {
        const c = b[i];
        if (c < 0x30 || c > 0x39) break;
        n = n * 10 + (c - 0x30);
      }
      if (i === ve) return n;
    }
    return this.value(f);
  }

  /**
   * The timestamp as verify.ts's timestampMs needs it: a number as is, a string as Date.parse reads it (given as
   * that number), anything else as JSON.parse gives it; undefined when absent.
   */
  timestamp(): unknown {
    const f = this.tsField;
    if (f < 0 || this.scanner.valueStart[f] < 0) return undefined;
    const b = this.b;
    const vs = this.scanner.valueStart[f];
    const ve = this.scanner.valueEnd[f];
    if (b[vs] !== QUOTE || this.scanner.valueEscaped[f] === 1) return this.value(f);
    const ms = isoMillis(b, vs + 1, ve - 1);
    return Number.isNaN(ms) ? Date.parse(b.toString('utf8', vs + 1, ve - 1)) : ms;
  }

  proof(): unknown {
    return this.scanner.valueStart[this.proofField] >= 0 ? this.value(this.proofField) : undefined;
  }

  /** The record id as verify.ts's recordId reads it: the first id field holding a string or a number. */
  id(): string | undefined {
    const sc = this.scanner;
    const b = this.b;
    for (const f of this.idFields) {
      const vs = sc.valueStart[f];
      if (vs < 0) continue;
      const c = b[vs];
      if (c === QUOTE) return this.value(f) as string;
      if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return b.toString('latin1', vs, sc.valueEnd[f]); // canonical: as String(n) writes it
    }
    return undefined;
  }

  /** Where the line of the record last taken starts in the buffer. */
  get start(): number {
    return this.s;
  }

  /**
   * When the canonical text of the record last taken is the line from its start up to a member left out, then '}':
   * the position of the ',' before that member; else -1.
   */
  sliceEnd(): number {
    return this.oneSlice ? this.pieces[1] : -1;
  }

  /** Bytes of the canonical text of the record last taken. */
  canonicalLength(): number {
    if (this.pieceCount === 0) return EMPTY_OBJECT.length;
    let n = (this.openOutside ? 1 : 0) + (this.closeOutside ? 1 : 0);
    for (let k = 0; k < this.pieceCount; k++) n += this.pieces[2 * k + 1] - this.pieces[2 * k];
    return n;
  }

  /** Copies the canonical text of the record last taken to dst[at, at + canonicalLength()). */
  writeCanonical(dst: Buffer, at: number): void {
    if (this.pieceCount === 0) {
      EMPTY_OBJECT.copy(dst, at);
      return;
    }
    let i = at;
    if (this.openOutside) dst[i++] = OPEN;
    for (let k = 0; k < this.pieceCount; k++) i += this.b.copy(dst, i, this.pieces[2 * k], this.pieces[2 * k + 1]);
    if (this.closeOutside) dst[i] = CLOSE;
  }

  /** The JSON value of named field f of the line last scanned (what JSON.parse gives for that member). */
  private value(f: number): unknown {
    const sc = this.scanner;
    const b = this.b;
    const vs = sc.valueStart[f];
    const ve = sc.valueEnd[f];
    const c = b[vs];
    if (c === QUOTE && sc.valueEscaped[f] === 0) return b.toString('utf8', vs + 1, ve - 1);
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return Number(b.toString('latin1', vs, ve));
    return JSON.parse(b.toString('utf8', vs, ve)) as unknown;
  }

  /** The hashed text as pieces of the line: `{`, the members not left out (joined by commas), `}`. */
  private cut(): void {
    const sc = this.scanner;
    const n = sc.members;
    let count = 0;
    let m = 0;
    this.openOutside = false;
    this.closeOutside = true;
    while (m < n) {
      if (sc.memberExcluded[m] === 1) {
        m++;
        continue;
      }
      let k = m;
      while (k + 1 < n && sc.memberExcluded[k + 1] === 0) k++;
      // Members m..k are consecutive in the line: one piece, with the comma before it (or the '{' of the line).
      let from = sc.memberStart[m];
      if (count === 0) {
        if (m === 0) from = this.s;
        else this.openOutside = true;
      } else from -= 1;
      let to = sc.memberEnd[k];
      if (k === n - 1) {
        to = this.e;
        this.closeOutside = false;
      }
      this.pieces[2 * count] = from;
      this.pieces[2 * count + 1] = to;
      count++;
      m = k + 1;
    }
    this.pieceCount = count;
  }

  /** The canonical text is the line's bytes from its '{' up to a member left out, then '}' (the usual layout). */
  private get oneSlice(): boolean {
    return this.pieceCount === 1 && !this.openOutside && this.closeOutside;
  }

  /**
   * A plain hash of the canonical text. In the usual layout it is one slice of the line once the comma after its
   * last covered member reads '}' for the moment; otherwise the pieces are fed to a Hash.
   */
  private hashOneShot(alg: string): Buffer {
    const b = this.b;
    if (this.oneSlice && oneShot) {
      const to = this.pieces[1]; // b[to] is the ',' before the first member left out
      b[to] = CLOSE;
      try {
        return oneShot(alg, b.subarray(this.s, to + 1), 'buffer') as Buffer;
      } finally {
        b[to] = 0x2c;
      }
    }
    const h = crypto.createHash(alg);
    this.feed(h);
    return h.digest();
  }

  /** SHA-256(0x00 ‖ canonical text): with the byte before the line (its newline) standing in for 0x00 when there is one. */
  private leafHash(): Buffer {
    const b = this.b;
    const s = this.s;
    if (this.oneSlice && oneShot && s > 0) {
      const to = this.pieces[1];
      const before = b[s - 1];
      b[s - 1] = 0x00;
      b[to] = CLOSE;
      try {
        return oneShot('sha256', b.subarray(s - 1, to + 1), 'buffer') as Buffer;
      } finally {
        b[s - 1] = before;
        b[to] = 0x2c;
      }
    }
    const h = crypto.createHash('sha256').update(LEAF_PREFIX);
    this.feed(h);
    return h.digest();
  }

  private feed(h: crypto.Hash | crypto.Hmac): void {
    if (this.pieceCount === 0) {
      h.update(EMPTY_OBJECT);
      return;
    }
    if (this.openOutside) h.update(Buffer.from([OPEN]));
    for (let k = 0; k < this.pieceCount; k++) h.update(this.b.subarray(this.pieces[2 * k], this.pieces[2 * k + 1]));
    if (this.closeOutside) h.update(Buffer.from([CLOSE]));
  }
}
