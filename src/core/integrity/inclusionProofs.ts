// Inclusion proofs carried by records: `merkle_proof: {leaf_index, tree_size, audit_path: [hex, …]}` proves that
// the record's leaf (its canonical text) is leaf `leaf_index` of the tree of the first `tree_size` records. The
// proof leads to a root (RFC 9162 §2.1.3.2); that root must equal a signed tree head of the same size (a checkpoint
// or the digest), or, with no signed head of that size, the root this verifier computed over the log (which only
// shows the proof fits the log as it is, and is only used when the chain has no findings).
// Proofs that lead to the same root are counted together, so memory stays small when every record has one.
import { decodeHex } from './encoding';
import type { ChainOutcome } from './classifyChain';
import { rootFromInclusionProof, type GrowingTree } from './merkle';
import type { Reporter } from './findings';

export interface ProofCounts {
  /** Records that carry a proof. */
  total: number;
  /** Proofs leading to a signed tree head's root. */
  verified: number;
  /** Proofs leading to the root computed over this log (no signed head of that size; the chain is clean). */
  consistent: number;
  failed: number;
  /** Proofs with nothing to compare against. */
  unchecked: number;
}

interface Group {
  size: number;
  root: Buffer;
  count: number;
  /** The first few records of the group (the rest are only counted). */
  records: number[];
}

const MAX_GROUPS = 10_000;
const RECORDS_PER_GROUP = 10;

export class ProofChecker {
  readonly counts: ProofCounts = { total: 0, verified: 0, consistent: 0, failed: 0, unchecked: 0 };
  private readonly groups = new Map<string, Group>();

  constructor(private readonly r: Reporter) {}

  /** A record with a `merkle_proof` member; `leaf` is the leaf hash of its canonical text (merkle.ts leafHash). */
  onRecord(x: number, proof: unknown, leaf: Buffer, tree: GrowingTree): void {
    this.counts.total += 1;
    const p = proof as Record<string, unknown> | null;
    const index = p?.leaf_index;
    const size = p?.tree_size;
    const path = p?.audit_path;
    const bad = (why: string) => {
      this.counts.failed += 1;
      this.r.atRecord(x, 'unverifiable', 'medium', `merkle_proof not usable: ${why}`);
    };
    if (typeof p !== 'object' || p === null || Array.isArray(p)) return bad('not an object');
    if (typeof index !== 'number' || typeof size !== 'number' || !Number.isSafeInteger(index) || !Number.isSafeInteger(size)) return bad('leaf_index and tree_size must be whole numbers');
    if (!Array.isArray(path)) return bad('audit_path must be an array of hex hashes');
    const nodes: Buffer[] = [];
    for (const h of path) {
      const b = typeof h === 'string' ? decodeHex(h) : null;
      if (!b || b.length !== 32) return bad('audit_path must be an array of 64-digit hex hashes');
      nodes.push(b);
    }
    const root = rootFromInclusionProof(index, size, leaf, nodes);
    if (!root) return bad(`the path does not fit leaf ${index} of a tree of ${size}`);
    const key = `${size}:${root.toString('hex')}`;
    let g = this.groups.get(key);
    if (!g) {
      if (this.groups.size >= MAX_GROUPS) {
        this.counts.unchecked += 1;
        return;
      }
      g = { size, root, count: 0, records: [] };
      this.groups.set(key, g);
      tree.want(size);
    }
    g.count += 1;
    if (g.records.length < RECORDS_PER_GROUP) g.records.push(x);
  }

  finish(o: ChainOutcome, signedRoots: Map<number, { root: Buffer; signed: boolean }[]>, tree: GrowingTree): void {
    for (const g of this.groups.values()) {
      const heads = signedRoots.get(g.size) ?? [];
      const match = heads.find((h) => h.root.equals(g.root));
      if (match) {
        if (match.signed) this.counts.verified += g.count;
        else this.counts.consistent += g.count;
        continue;
      }
      let reference: Buffer | undefined = heads[0]?.root;
      let against = `the signed tree head of size ${g.size}`;
      if (!reference && o.firstFindingIndex === Number.POSITIVE_INFINITY && o.partialStart < 0) {
        reference = tree.rootAt(g.size);
        against = `the root of the first ${g.size} records of this log`;
        if (reference && reference.equals(g.root)) {
          this.counts.consistent += g.count;
          continue;
        }
      }
      if (!reference) {
        this.counts.unchecked += g.count;
        continue;
      }
      this.counts.failed += g.count;
      for (const x of g.records) {
        if (o.flagged[x]) continue; // the chain already says what happened to this record
        this.r.atRecord(x, 'modified', 'medium', `its inclusion proof does not lead to ${against}: the record or its proof was changed after the tree was built`, {
          expected: reference.toString('hex'),
          actual: g.root.toString('hex'),
        });
      }
      if (g.count > g.records.length) {
        this.r.atRecord(g.records[0], 'info', 'info', `${g.count - g.records.length} more record(s) have an inclusion proof leading to the same wrong root`);
      }
    }
  }
}
