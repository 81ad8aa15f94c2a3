// Compact structures that let the verifier remember a little about every record of a large log without keeping
// the records: growable typed arrays, a 64-bit-key hash index, and a set of integers stored as ranges.

type TypedArray = Float64Array | Int32Array | Uint32Array | Uint8Array;
type TypedArrayCtor<T extends TypedArray> = new (length: number) => T;

/** A typed array that grows by doubling; `at` beyond `length` is not checked. */
export class Growable<T extends TypedArray> {
  data: T;
  length = 0;

  constructor(private readonly ctor: TypedArrayCtor<T>, capacity = 1024) {
    this.data = new ctor(capacity);
  }

  push(value: number): number {
    if (this.length === this.data.length) {
      const bigger = new this.ctor(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length] = value;
    return this.length++;
  }

  /** Bytes held (for the memory note in docs and tests). */
  get bytes(): number {
    return this.data.byteLength;
  }
}

const SEED = (Math.random() * 0x100000000) >>> 0;

/** Mixes a 64-bit key into a slot number (seeded, so crafted hash values cannot force long probe runs). */
function mix(hi: number, lo: number): number {
  let h = Math.imul(hi ^ SEED, 0x85ebca6b) ^ lo;
  h = Math.imul(h ^ (h >>> 16), 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 13), 0x27d4eb2f);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Maps a 64-bit key (the first 8 bytes of a hash) to a non-negative int: open addressing, linear probing, about
 * 12 bytes a slot and at most half full. Used to find "the record whose hash is X" among millions.
 */
export class HashIndex {
  private keys: Uint32Array;
  private values: Int32Array; // value + 1; 0 = empty slot
  private mask: number;
  private count = 0;

  constructor(capacity = 1 << 12) {
    let size = 1 << 4;
    while (size < capacity * 2) size *= 2;
    this.keys = new Uint32Array(size * 2);
    this.values = new Int32Array(size);
    this.mask = size - 1;
  }

  get size(): number {
    return this.count;
  }

  get bytes(): number {
    return this.keys.byteLength + this.values.byteLength;
  }

  /** The value stored for the key, or -1. */
  get(hi: number, lo: number): number {
    let slot = mix(hi, lo) & this.mask;
    for (;;) {
      const v = this.values[slot];
      if (v === 0) return -1;
      if (this.keys[slot * 2] === hi && this.keys[slot * 2 + 1] === lo) return v - 1;
      slot = (slot + 1) & this.mask;
    }
  }

  /** Stores the value unless the key is present; returns the earlier value, or -1 when it stored this one. */
  setIfAbsent(hi: number, lo: number, value: number): number {
    if ((this.count + 1) * 2 > this.values.length) this.grow();
    let slot = mix(hi, lo) & this.mask;
    for (;;) {
      const v = this.values[slot];
      if (v === 0) {
        this.keys[slot * 2] = hi;
        this.keys[slot * 2 + 1] = lo;
        this.values[slot] = value + 1;
        this.count += 1;
        return -1;
      }
      if (this.keys[slot * 2] === hi && this.keys[slot * 2 + 1] === lo) return v - 1;
      slot = (slot + 1) & this.mask;
    }
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    this.keys = new Uint32Array(oldKeys.length * 2);
    this.values = new Int32Array(oldValues.length * 2);
    this.mask = this.values.length - 1;
    this.count = 0;
    for (let s = 0; s < oldValues.length; s++) {
      if (oldValues[s] !== 0) this.setIfAbsent(oldKeys[s * 2], oldKeys[s * 2 + 1], oldValues[s] - 1);
    }
  }
}

/**
 * A set of numbers kept as sorted, disjoint runs of consecutive integers [start, end]: a log numbered 1..N is one
 * run however long it is. Appending the next number is O(1); other inserts are O(runs).
 */
export class RangeSet {
  private starts: number[] = [];
  private ends: number[] = [];

  get runs(): number {
    return this.starts.length;
  }

  /** Index of the last run starting at or before v, or -1. */
  private find(v: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid] <= v) {
        at = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return at;
  }

  has(v: number): boolean {
    const i = this.find(v);
    return i >= 0 && v <= this.ends[i];
  }

  add(v: number): void {
    const n = this.starts.length;
    if (n > 0 && this.ends[n - 1] + 1 === v && Number.isInteger(v)) {
      this.ends[n - 1] = v; // the common case: the next number
      return;
    }
    const i = this.find(v);
    if (i >= 0 && v <= this.ends[i]) return;
    const joinsLeft = i >= 0 && Number.isInteger(v) && this.ends[i] + 1 === v;
    const joinsRight = i + 1 < n && Number.isInteger(v) && this.starts[i + 1] - 1 === v;
    if (joinsLeft && joinsRight) {
      this.ends[i] = this.ends[i + 1];
      this.starts.splice(i + 1, 1);
      this.ends.splice(i + 1, 1);
    } else if (joinsLeft) {
      this.ends[i] = v;
    } else if (joinsRight) {
      this.starts[i + 1] = v;
    } else {
      this.starts.splice(i + 1, 0, v);
      this.ends.splice(i + 1, 0, v);
    }
  }
}
