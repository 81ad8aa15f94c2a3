// Merkle tree hashing as in RFC 6962 §2.1 / RFC 9162 §2.1 (Certificate Transparency), always with SHA-256:
//   leaf hash   MTH({d}) = SHA-256(0x00 || d)
//   node hash   SHA-256(0x01 || left || right)
//   n leaves    split at k = the largest power of two smaller than n: MTH(D[n]) = node(MTH(D[0:k]), MTH(D[k:n]))
//   empty tree  SHA-256("")
// The leaves of an audit log's tree are the canonical texts of its chain records (the same bytes the record hash
// is computed over, UTF-8), in file order; checkpoint records are not leaves.
import * as crypto from 'node:crypto';
import { createHash } from 'node:crypto';

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

export const EMPTY_ROOT: Buffer = createHash('sha256').digest();

export function leafHash(data: Buffer | string): Buffer {
  const h = createHash('sha256').update(LEAF_PREFIX);
  if (typeof data === 'string') h.update(data, 'utf8');
  else h.update(data);
  return h.digest();
}

/** Node's one-shot hash (Node 20.12+), and the 65 bytes of a node of two SHA-256 children. */
const oneShot = (crypto as unknown as { hash?: (alg: string, data: Uint8Array, enc: 'buffer') => Buffer }).hash;
const NODE_INPUT = Buffer.alloc(65, 1);

export function nodeHash(left: Buffer, right: Buffer): Buffer {
  if (oneShot && left.length === 32 && right.length === 32) {
    NODE_INPUT.set(left, 1);
    NODE_INPUT.set(right, 33);
    return oneShot('sha256', NODE_INPUT, 'buffer');
  }
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/** The largest power of two strictly smaller than n (n >= 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Subtree roots already computed, keyed "from:to"; pass one map to many calls over the same leaves. */
export type SubtreeCache = Map<string, Buffer>;

/** MTH over leaves [from, to) (recursive; for tests and writers that hold the leaves). */
export function merkleRoot(leaves: readonly Buffer[], from = 0, to = leaves.length, cache?: SubtreeCache): Buffer {
  const n = to - from;
  if (n === 0) return EMPTY_ROOT;
  if (n === 1) return leaves[from];
  const key = `${from}:${to}`;
  const known = cache?.get(key);
  if (known) return known;
  const k = splitPoint(n);
  const root = nodeHash(merkleRoot(leaves, from, from + k, cache), merkleRoot(leaves, from + k, to, cache));
  cache?.set(key, root);
  return root;
}

/** PATH(m, D[n]) of RFC 6962 §2.1.1: the audit path of leaf `index` in the tree of the first `size` leaves. */
export function inclusionPath(leaves: readonly Buffer[], index: number, size = leaves.length, cache?: SubtreeCache): Buffer[] {
  if (!(index >= 0 && index < size && size <= leaves.length)) throw new RangeError(`no leaf ${index} in a tree of ${size}`);
  const path: Buffer[] = [];
  const walk = (m: number, from: number, to: number): void => {
    const n = to - from;
    if (n <= 1) return;
    const k = splitPoint(n);
    if (m < k) {
      walk(m, from, from + k);
      path.push(merkleRoot(leaves, from + k, to, cache));
    } else {
      walk(m - k, from + k, to);
      path.push(merkleRoot(leaves, from, from + k, cache));
    }
  };
  walk(index, 0, size);
  return path;
}

/**
 * The root an inclusion proof leads to (RFC 9162 §2.1.3.2), or null when the proof's shape does not fit the
 * tree (index out of range, too many or too few path elements). Compare the result with a trusted tree head.
 */
export function rootFromInclusionProof(index: number, size: number, leaf: Buffer, path: readonly Buffer[]): Buffer | null {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return null;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

export function verifyInclusion(index: number, size: number, leaf: Buffer, path: readonly Buffer[], root: Buffer): boolean {
  const got = rootFromInclusionProof(index, size, leaf, path);
  return got !== null && got.equals(root);
}

/**
 * The root of a growing tree in O(log n) memory: the perfect subtrees ("compact range") along the right edge.
 * Appending merges equal-sized neighbours; the root folds them right to left, which is the RFC's split rule.
 */
export class CompactRange {
  private readonly hashes: Buffer[] = [];
  private readonly sizes: number[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  append(leaf: Buffer): void {
    let h = leaf;
    let s = 1;
    while (this.sizes.length > 0 && this.sizes[this.sizes.length - 1] === s) {
      h = nodeHash(this.hashes.pop() as Buffer, h);
      s += this.sizes.pop() as number;
    }
    this.hashes.push(h);
    this.sizes.push(s);
    this.count += 1;
  }

  root(): Buffer {
    if (this.hashes.length === 0) return EMPTY_ROOT;
    let r = this.hashes[this.hashes.length - 1];
    for (let i = this.hashes.length - 2; i >= 0; i--) r = nodeHash(this.hashes[i], r);
    return r;
  }
}

/**
 * A CompactRange that can also give the root of an earlier size, when that size was asked for before the tree
 * grew past it (checkpoints and proofs name the tree size they were made for).
 */
export class GrowingTree {
  readonly range = new CompactRange();
  private readonly roots = new Map<number, Buffer | null>();

  get size(): number {
    return this.range.size;
  }

  append(leaf: Buffer): void {
    this.range.append(leaf);
    if (this.roots.size > 0 && this.roots.get(this.range.size) === null) this.roots.set(this.range.size, this.range.root());
  }

  /** Asks for the root at `size` (now, if the tree has that size; later, if it is still smaller). */
  want(size: number): void {
    if (size === this.range.size) this.roots.set(size, this.range.root());
    else if (size > this.range.size && !this.roots.has(size)) this.roots.set(size, null);
  }

  /** The root at `size` when it was captured (or is the current size), else undefined. */
  rootAt(size: number): Buffer | undefined {
    if (size === this.range.size) return this.range.root();
    return this.roots.get(size) ?? undefined;
  }
}
