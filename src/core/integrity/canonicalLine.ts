// Is a JSON Lines record already written as the canonical text its hash is computed over? This scanner answers from
// the line's bytes alone, and finds the record's top-level members on the way, so that verify.ts can hash the
// record straight from the line (the "fast path", see fastRecord.ts) instead of parsing and re-serializing it.
//
// "Canonical" is what canonicalJson (canonical.ts) writes for the value JSON.parse gives, in the modes `jcs` (keys
// in UTF-16 code unit order) and `sorted` (keys in code point order); both write strings and numbers as
// JSON.stringify does. The scanner accepts a line only when, apart from the members the hash leaves out (hash,
// signature, merkle_proof: they may stand anywhere), every byte is where canonicalJson would put it:
//   * no whitespace outside strings; object keys strictly increasing at every level (so no key twice);
//   * strings: raw UTF-8, except `"`, `\` and characters below U+0020, written \" \\ \b \t \n \f \r or \u00xx
//     (lowercase hex); no other escape (no \/, no \u for other characters, no escaped surrogates);
//   * numbers: exactly the text JSON.stringify writes for the number they denote (1 not 1.0, 1e+21 not 1E21,
//     no -0, no digits beyond what the double holds);
//   * true, false, null; at most MAX_DEPTH levels of nesting; no key "__proto__" (left to the full path).
// The caller guarantees the line has no byte below 0x20 and is valid UTF-8 (jsonlBatches.ts checks both for a
// whole chunk at once); the scanner checks everything else. A line it does not recognise is answered `false` and
// the record takes the full path (parse, canonicalize, hash), so `false` is always safe.
import { compareCodePoints } from './canonical';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;

/** Nesting deeper than this is left to the full path. */
export const MAX_DEPTH = 64;
/** Records with more top-level members than this are left to the full path. */
export const MAX_MEMBERS = 4096;

const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const NULL = Buffer.from('null');
const PROTO = Buffer.from('__proto__');

export type KeyOrder = 'utf16' | 'codepoint';

export class CanonicalLineScanner {
  /** After a successful scan: each top-level member in line order, from its key's opening quote to its value's end. */
  readonly memberStart = new Int32Array(MAX_MEMBERS);
  readonly memberEnd = new Int32Array(MAX_MEMBERS);
  readonly memberExcluded = new Uint8Array(MAX_MEMBERS);
  members = 0;
  /** Per named field (constructor order): its value's span [start, end), start -1 when absent. */
  readonly valueStart: Int32Array;
  readonly valueEnd: Int32Array;
  /** Per named field: 1 when its value is a string written with an escape. */
  readonly valueEscaped: Uint8Array;

  private readonly names: Buffer[];
  private readonly excluded: Uint8Array;
  /** Name index + 1 by (key length, first byte) for keys up to 63 bytes and a first byte below 0x80; -1: ask `names`. */
  private readonly nameTable = new Int16Array(64 * 128);
  private b: Buffer = Buffer.alloc(0);
  private e = 0;
  /** Position of the next backslash in `b` at or after some earlier point (b.length when none); -1: unknown. */
  private bs = -1;
  /** Set by string(): the string had an escape. */
  private escaped = false;
  /** Set by key(): the key had an escape / a byte above 0x7f. */
  private keyEscaped = false;
  private keyNonAscii = false;

  /**
   * @param names    top-level member names the caller wants the values of (the profile's fields, `type`, ids)
   * @param excluded for each name: the member is left out of the hashed text (hash, signature, merkle_proof)
   * @param order    key order of the canonicalization: `utf16` for jcs, `codepoint` for sorted
   */
  constructor(names: readonly string[], excluded: readonly boolean[], private readonly order: KeyOrder) {
    this.names = names.map((n) => Buffer.from(n, 'utf8'));
    this.names.forEach((n, i) => {
      if (n.length === 0 || n.length >= 64 || n[0] >= 0x80) return;
      const slot = n.length * 128 + n[0];
      this.nameTable[slot] = this.nameTable[slot] === 0 ? i + 1 : -1;
    });
    for (const n of this.names) if (n.length === 0 || n.length >= 64 || n[0] >= 0x80) this.nameTable.fill(-1);
    this.excluded = Uint8Array.from(excluded.map((x) => (x ? 1 : 0)));
    this.valueStart = new Int32Array(names.length).fill(-1);
    this.valueEnd = new Int32Array(names.length);
    this.valueEscaped = new Uint8Array(names.length);
  }

  /** The buffer the next scans read (call it for every new buffer: a cached search position belongs to one buffer). */
  setBuffer(b: Buffer): void {
    this.b = b;
    this.bs = -1;
  }

  /**
   * True when b[s, e) (no newline, no trailing CR) is one JSON object in canonical form apart from its excluded
   * members, with at least one member; the members and named values are then in the public arrays.
   */
  scan(s: number, e: number): boolean {
    const b = this.b;
    this.e = e;
    this.valueStart.fill(-1);
    this.members = 0;
    if (e - s < 3 || e > b.length || b[s] !== OPEN_OBJECT || b[e - 1] !== CLOSE_OBJECT) return false;
    let i = s + 1;
    let prevStart = -1;
    let prevEnd = -1;
    let prevComplex = false;
    for (;;) {
      if (b[i] !== QUOTE) return false; // i < e - 1 here: the line ends with the object's '}'
      const keyEnd = this.key(i);
      if (keyEnd < 0 || this.keyEscaped) return false; // an escaped top-level key could spell a field name
      const ks = i + 1;
      const ke = keyEnd - 1;
      const complex = this.keyNonAscii;
      if (keyEnd >= e || b[keyEnd] !== COLON) return false;
      if (this.isProto(ks, ke)) return false;
      const vStart = keyEnd + 1;
      const first = b[vStart];
      const vEnd = first === QUOTE ? this.string(vStart) : first === MINUS || (first >= ZERO && first <= NINE) ? this.number(vStart) : this.value(vStart, 1);
      if (vEnd < 0 || vEnd >= e) return false;
      const field = this.lookup(ks, ke);
      const excluded = field >= 0 && this.excluded[field] === 1;
      if (field >= 0) {
        if (this.valueStart[field] >= 0) return false; // a named member written twice
        this.valueStart[field] = vStart;
        this.valueEnd[field] = vEnd;
        this.valueEscaped[field] = b[vStart] === QUOTE && this.escaped ? 1 : 0;
      }
      if (!excluded) {
        if (prevStart >= 0 && this.compareKeys(prevStart, prevEnd, prevComplex, ks, ke, complex) >= 0) return false;
        prevStart = ks;
        prevEnd = ke;
        prevComplex = complex;
      }
      const m = this.members;
      if (m >= MAX_MEMBERS) return false;
      this.memberStart[m] = i;
      this.memberEnd[m] = vEnd;
      this.memberExcluded[m] = excluded ? 1 : 0;
      this.members = m + 1;
      const c = b[vEnd];
      if (c === COMMA) {
        i = vEnd + 1;
        continue;
      }
      return c === CLOSE_OBJECT && vEnd + 1 === e;
    }
  }

  /** Which named field the key b[ks, ke) is, or -1. */
  private lookup(ks: number, ke: number): number {
    const b = this.b;
    const len = ke - ks;
    if (len < 64 && b[ks] < 0x80) {
      const t = this.nameTable[len * 128 + b[ks]];
      if (t === 0) return -1;
      if (t > 0) {
        const n = this.names[t - 1];
        for (let k = 1; k < len; k++) if (n[k] !== b[ks + k]) return -1;
        return t - 1;
      }
    }
    const names = this.names;
    for (let f = 0; f < names.length; f++) {
      const n = names[f];
      if (n.length !== len || n[0] !== b[ks]) continue;
      let k = 1;
      while (k < len && n[k] === b[ks + k]) k++;
      if (k === len) return f;
    }
    return -1;
  }

  private isProto(ks: number, ke: number): boolean {
    if (ke - ks !== 9) return false;
    for (let k = 0; k < 9; k++) if (this.b[ks + k] !== PROTO[k]) return false;
    return true;
  }

  /** Sign of (key a) - (key b) in the canonical order; spans are the keys' contents, without quotes. */
  private compareKeys(aS: number, aE: number, aComplex: boolean, bS: number, bE: number, bComplex: boolean): number {
    const b = this.b;
    if (!aComplex && !bComplex) {
      // ASCII without escapes: byte order is code unit order and code point order.
      const n = Math.min(aE - aS, bE - bS);
      for (let k = 0; k < n; k++) {
        const d = b[aS + k] - b[bS + k];
        if (d !== 0) return d;
      }
      return aE - aS - (bE - bS);
    }
    const x = JSON.parse(b.toString('utf8', aS - 1, aE + 1)) as string;
    const y = JSON.parse(b.toString('utf8', bS - 1, bE + 1)) as string;
    if (this.order === 'codepoint') return compareCodePoints(x, y);
    return x < y ? -1 : x > y ? 1 : 0;
  }

  /** A key at p (b[p] is '"'): the index after its closing quote, or -1. Sets keyEscaped and keyNonAscii. */
  private key(p: number): number {
    const b = this.b;
    const e = this.e;
    let escaped = false;
    let nonAscii = false;
    for (let i = p + 1; i < e; i++) {
      const c = b[i];
      if (c === QUOTE) {
        this.keyEscaped = escaped;
        this.keyNonAscii = escaped || nonAscii;
        return i + 1;
      }
      if (c === BACKSLASH) {
        const n = this.escape(i);
        if (n < 0) return -1;
        escaped = true;
        i = n - 1;
      } else if (c >= 0x80) nonAscii = true;
    }
    return -1;
  }

  /** A string value at p (b[p] is '"'): the index after its closing quote, or -1. Sets `escaped`. */
  private string(p: number): number {
    const b = this.b;
    const e = this.e;
    this.escaped = false;
    let i = p + 1;
    // Short strings byte by byte; longer ones by native searches for the closing quote and for backslashes.
    const stop = i + 32 < e ? i + 32 : e;
    for (; i < stop; i++) {
      const c = b[i];
      if (c === QUOTE) return i + 1;
      if (c === BACKSLASH) {
        const n = this.escape(i);
        if (n < 0) return -1;
        this.escaped = true;
        i = n - 1;
      }
    }
    for (;;) {
      const q = b.indexOf(QUOTE, i);
      if (q < 0 || q >= e) return -1;
      if (this.bs < i) {
        const k = b.indexOf(BACKSLASH, i);
        this.bs = k < 0 ? b.length : k;
      }
      if (this.bs > q) return q + 1;
      const n = this.escape(this.bs);
      if (n < 0) return -1;
      this.escaped = true;
      i = n;
    }
  }

  /** A canonical escape at i (b[i] is '\'): the index after it, or -1. */
  private escape(i: number): number {
    const b = this.b;
    const e = this.e;
    if (i + 1 >= e) return -1;
    switch (b[i + 1]) {
      case 0x22: // \"
      case 0x5c: // \\
      case 0x62: // \b
      case 0x66: // \f
      case 0x6e: // \n
      case 0x72: // \r
      case 0x74: // \t
        return i + 2;
      case 0x75: {
        // \u00xx for the other characters below U+0020, lowercase hex
        if (i + 5 >= e || b[i + 2] !== ZERO || b[i + 3] !== ZERO) return -1;
        const hi = b[i + 4];
        const lo = b[i + 5];
        if (hi !== 0x30 && hi !== 0x31) return -1;
        const low = lo >= ZERO && lo <= NINE ? lo - ZERO : lo >= 0x61 && lo <= 0x66 ? lo - 0x57 : -1;
        if (low < 0) return -1;
        const v = (hi - ZERO) * 16 + low;
        if (v === 8 || v === 9 || v === 10 || v === 12 || v === 13) return -1; // these have short forms
        return i + 6;
      }
      default:
        return -1;
    }
  }

  /** Any value at p: the index after it, or -1. */
  private value(p: number, depth: number): number {
    if (p >= this.e) return -1;
    const c = this.b[p];
    if (c === QUOTE) return this.string(p);
    if (c === OPEN_OBJECT) return depth < MAX_DEPTH ? this.object(p, depth + 1) : -1;
    if (c === OPEN_ARRAY) return depth < MAX_DEPTH ? this.array(p, depth + 1) : -1;
    if (c === MINUS || (c >= ZERO && c <= NINE)) return this.number(p);
    if (c === 0x74) return this.literal(p, TRUE);
    if (c === 0x66) return this.literal(p, FALSE);
    if (c === 0x6e) return this.literal(p, NULL);
    return -1;
  }

  private literal(p: number, word: Buffer): number {
    if (p + word.length > this.e) return -1;
    for (let k = 1; k < word.length; k++) if (this.b[p + k] !== word[k]) return -1;
    return p + word.length;
  }

  /**
   * A number at p: the index after it when it is written as JSON.stringify writes it, else -1. Without converting:
   * integers of up to 15 digits, and decimals `int.frac` with up to 15 significant digits, no trailing zero and at
   * most 5 zeros after "0." (JSON.stringify writes 1e-7 and below with an exponent). Any decimal of at most 15
   * significant digits is the shortest text of the double nearest to it (15 digits always survive the round trip, so
   * no other decimal of 15 digits or fewer gives that double), which is the text ECMAScript's Number::toString picks.
   * Everything else is converted and printed again.
   */
  private number(p: number): number {
    const b = this.b;
    const e = this.e;
    let i = p;
    if (b[i] === MINUS) i++;
    const d0 = i;
    while (i < e && b[i] >= ZERO && b[i] <= NINE) i++;
    const intDigits = i - d0;
    let c = i < e ? b[i] : 0;
    if (c !== DOT && c !== LOWER_E && c !== UPPER_E && c !== PLUS && c !== MINUS) {
      if (intDigits === 0) return -1;
      if (b[d0] === ZERO) return intDigits === 1 && d0 === p ? i : -1; // 0; not -0, not 01
      if (intDigits <= 15) return i; // below 2^53: the double holds it exactly and prints it in digits
    } else if (c === DOT && intDigits > 0 && (intDigits === 1 || b[d0] !== ZERO)) {
      const f0 = i + 1;
      let f = f0;
      while (f < e && b[f] >= ZERO && b[f] <= NINE) f++;
      c = f < e ? b[f] : 0;
      if (f > f0 && b[f - 1] !== ZERO && c !== LOWER_E && c !== UPPER_E && c !== PLUS && c !== MINUS && c !== DOT) {
        let significant: number;
        if (b[d0] === ZERO) {
          let z = f0;
          while (b[z] === ZERO) z++;
          if (z - f0 > 5) significant = 99; // 1e-7 and smaller: an exponent; let the general check decide
          else significant = f - z;
        } else significant = intDigits + (f - f0);
        if (significant <= 15) return f;
      }
    }
    while (i < e) {
      const ch = b[i];
      if ((ch >= ZERO && ch <= NINE) || ch === DOT || ch === LOWER_E || ch === UPPER_E || ch === PLUS || ch === MINUS) i++;
      else break;
    }
    const text = b.toString('latin1', p, i);
    return JSON.stringify(Number(text)) === text ? i : -1;
  }

  private object(p: number, depth: number): number {
    const b = this.b;
    const e = this.e;
    let i = p + 1;
    if (i < e && b[i] === CLOSE_OBJECT) return i + 1;
    let prevStart = -1;
    let prevEnd = -1;
    let prevComplex = false;
    for (;;) {
      if (i >= e || b[i] !== QUOTE) return -1;
      const keyEnd = this.key(i);
      if (keyEnd < 0) return -1;
      const ks = i + 1;
      const ke = keyEnd - 1;
      const complex = this.keyNonAscii;
      if (this.isProto(ks, ke)) return -1;
      if (prevStart >= 0 && this.compareKeys(prevStart, prevEnd, prevComplex, ks, ke, complex) >= 0) return -1;
      prevStart = ks;
      prevEnd = ke;
      prevComplex = complex;
      if (keyEnd >= e || b[keyEnd] !== COLON) return -1;
      const v = keyEnd + 1;
      const first = b[v];
      i = first === QUOTE ? this.string(v) : first === MINUS || (first >= ZERO && first <= NINE) ? this.number(v) : this.value(v, depth);
      if (i < 0 || i >= e) return -1;
      const c = b[i];
      if (c === COMMA) i++;
      else return c === CLOSE_OBJECT ? i + 1 : -1;
    }
  }

  private array(p: number, depth: number): number {
    const b = this.b;
    const e = this.e;
    let i = p + 1;
    if (i < e && b[i] === CLOSE_ARRAY) return i + 1;
    for (;;) {
      const first = b[i];
      i = first === QUOTE ? this.string(i) : first === OPEN_OBJECT ? (depth < MAX_DEPTH ? this.object(i, depth + 1) : -1) : this.value(i, depth);
      if (i < 0 || i >= e) return -1;
      const c = b[i];
      if (c === COMMA) i++;
      else return c === CLOSE_ARRAY ? i + 1 : -1;
    }
  }
}
