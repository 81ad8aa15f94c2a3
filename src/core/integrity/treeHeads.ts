// Checks signed tree heads (checkpoint records in the log, and the digest file) against the chain:
//   while streaming   the signature (bad → bad-signature at the checkpoint's line); a checkpoint that matches a
//                     so-far-clean chain exactly (count, last hash, Merkle root) is confirmed on the spot and forgotten;
//   after the chain   the others are placed with the chain's classification (treeHeads.finish):
//     its last record is present     the count must match its position (else deleted/inserted + chain recomputed),
//                                    the Merkle root the root of those leaves (else unverifiable: another tree);
//     its last record is absent      the log is shorter than the head says → truncated; else the record at that
//                                    position was changed and the chain recomputed → modified at that record.
//   A mismatch that findings of the chain already explain (any finding at or before the head's position) is not
//   reported again. Records after the last verified head are "not covered by a signature" (info), which is what a
//   log that simply goes on after its last checkpoint looks like; only a head claiming more records than the log
//   has is truncation.
import { hashValueBytes, type ChainTable } from './chainTable';
import { parseTreeHead, type TreeHead } from './checkpoint';
import type { ChainOutcome } from './classifyChain';
import { decodeAs, type HashEncoding } from './encoding';
import type { Reporter } from './findings';
import { verifySignature, type PublicKeyInfo } from './keys';
import type { GrowingTree } from './merkle';

export type SignatureStatus = 'ok' | 'bad' | 'unchecked' | 'no-key';

export type HeadStatus = 'verified' | 'consistent' | 'explained' | 'mismatch' | 'bad-signature' | 'no-key';

/** A signed tree head as the report shows it. */
export interface TreeHeadSummary {
  kind: 'checkpoint' | 'digest';
  /** Encoded location of the checkpoint record; 0 for the digest file. */
  loc: number;
  recordCount: number;
  seq: number | null;
  lastHash: string | null;
  merkleRoot: string | null;
  ts: string | null;
  keyId: string | null;
  alg: string;
  /** Fingerprint of the public key that verified the signature. */
  keyFingerprint: string | null;
  status: HeadStatus;
}

interface HeadState {
  kind: 'checkpoint' | 'digest';
  loc: number;
  head: TreeHead;
  sig: SignatureStatus;
  keyFingerprint: string | null;
  /** Chain records read before the head (all of them for the digest). */
  recordsBefore: number;
  /** The record whose hash is last_hash, or -1 when not found (yet). */
  target: number;
  status: HeadStatus | null;
}

export interface TreeHeadCounts {
  total: number;
  verified: number;
  /** Matched the chain, signature not checked (no public key). */
  consistent: number;
  badSignature: number;
  mismatched: number;
  explained: number;
  noKey: number;
  /** Checkpoint records too malformed to use. */
  malformed: number;
}

const MAX_STORED = 10_000;

export class TreeHeadChecker {
  readonly counts: TreeHeadCounts = { total: 0, verified: 0, consistent: 0, badSignature: 0, mismatched: 0, explained: 0, noKey: 0, malformed: 0 };
  /** The verified head covering the most records, and the record it ends with. */
  lastVerified: { summary: TreeHeadSummary; target: number } | null = null;
  private readonly stored: HeadState[] = [];
  private digest: HeadState | null = null;
  private notStored = 0;
  /** Roots of heads confirmed while streaming (they are not stored), for inclusion proofs. */
  private readonly confirmed: { head: TreeHead; sig: SignatureStatus }[] = [];

  constructor(
    private readonly keys: readonly PublicKeyInfo[],
    private readonly encoding: HashEncoding,
    private readonly r: Reporter,
  ) {}

  /** Verifies the signature with the key named by key_id, else with every key of the head's algorithm. */
  private signature(head: TreeHead): { sig: SignatureStatus; fingerprint: string | null; why?: string } {
    if (!head.signature) return { sig: 'bad', fingerprint: null, why: 'the signature is not canonical base64' };
    if (this.keys.length === 0) return { sig: 'unchecked', fingerprint: null };
    let candidates = this.keys.filter((k) => k.alg === head.alg);
    if (candidates.length === 0) return { sig: 'no-key', fingerprint: null, why: `it is signed with ${head.alg} and no ${head.alg} public key was given` };
    const named = head.keyId ? candidates.filter((k) => k.fingerprint === head.keyId) : [];
    if (named.length > 0) candidates = named;
    for (const k of candidates) {
      if (verifySignature(head.alg, k.key, head.payload, head.signature)) return { sig: 'ok', fingerprint: k.fingerprint };
    }
    const which = candidates.length === 1 ? `public key ${candidates[0].fingerprint}` : `any of the ${candidates.length} ${head.alg} public keys`;
    return { sig: 'bad', fingerprint: null, why: `the ${head.alg} signature does not verify with ${which}` };
  }

  private state(kind: HeadState['kind'], loc: number, head: TreeHead, recordsBefore: number): HeadState {
    this.counts.total += 1;
    const { sig, fingerprint, why } = this.signature(head);
    const st: HeadState = { kind, loc, head, sig, keyFingerprint: fingerprint, recordsBefore, target: -1, status: null };
    const what = kind === 'digest' ? 'the digest file' : 'the checkpoint';
    if (sig === 'bad') {
      st.status = 'bad-signature';
      this.counts.badSignature += 1;
      this.r.atLoc(loc, 'bad-signature', 'high', `${what} is not authentic: ${why}`, { actual: head.json.signature });
    } else if (sig === 'no-key') {
      st.status = 'no-key';
      this.counts.noKey += 1;
      this.r.atLoc(loc, 'unverifiable', 'medium', `${what} cannot be checked: ${why}`);
    }
    return st;
  }

  private summary(st: HeadState, status: HeadStatus): TreeHeadSummary {
    const h = st.head;
    return {
      kind: st.kind,
      loc: st.loc,
      recordCount: h.recordCount,
      seq: h.seq,
      lastHash: h.lastHash,
      merkleRoot: h.merkleRoot ? h.merkleRoot.toString('hex') : null,
      ts: typeof h.json.ts === 'string' ? h.json.ts : null,
      keyId: h.keyId,
      alg: h.alg,
      keyFingerprint: st.keyFingerprint,
      status,
    };
  }

  private settle(st: HeadState, status: HeadStatus, target: number): void {
    st.status = status;
    if (status === 'verified') {
      this.counts.verified += 1;
      // The head covering the most records; on a tie a checkpoint in the log is shown rather than the digest.
      const better = !this.lastVerified || target > this.lastVerified.target || (target === this.lastVerified.target && st.kind === 'checkpoint');
      if (better) this.lastVerified = { summary: this.summary(st, status), target };
    } else if (status === 'consistent') this.counts.consistent += 1;
    else if (status === 'explained') this.counts.explained += 1;
    else if (status === 'mismatch') this.counts.mismatched += 1;
  }

  private lastHashBytes(text: string): Buffer {
    return hashValueBytes(text, decodeAs(text, this.encoding));
  }

  /** The digest file's outcome: not-given, or not-checked when the log could not be checked at all. */
  get digestStatus(): HeadStatus | 'not-given' | 'not-checked' {
    return this.digest ? (this.digest.status ?? 'not-checked') : 'not-given';
  }

  /** The digest file, read before the log: its root is captured when the tree reaches its size. */
  setDigest(head: TreeHead, tree: GrowingTree): void {
    this.digest = this.state('digest', 0, head, Number.POSITIVE_INFINITY);
    tree.want(head.recordCount);
  }

  /** A checkpoint record read from the log. */
  onCheckpoint(value: unknown, loc: number, t: ChainTable, tree: GrowingTree): void {
    const parsed = parseTreeHead(value);
    if (!parsed.ok) {
      this.counts.total += 1;
      this.counts.malformed += 1;
      this.r.atLoc(loc, 'unverifiable', 'medium', `checkpoint record not usable: ${parsed.reason}`);
      return;
    }
    const head = parsed.head;
    const st = this.state('checkpoint', loc, head, t.count);
    if (st.status) return;
    tree.want(head.recordCount);
    const rootOk = !head.merkleRoot || (tree.size === head.recordCount && tree.range.root().equals(head.merkleRoot));
    if (t.clean && head.recordCount === t.count && head.lastHash !== null && head.lastHash === t.lastHashText && rootOk) {
      this.settle(st, st.sig === 'ok' ? 'verified' : 'consistent', t.count - 1);
      if (head.merkleRoot && this.confirmed.length < MAX_STORED) this.confirmed.push({ head, sig: st.sig });
      return;
    }
    if (head.lastHash) st.target = t.recentWithHash(this.lastHashBytes(head.lastHash));
    if (this.stored.length < MAX_STORED) this.stored.push(st);
    else this.notStored += 1;
  }

  /** Places every head not settled while streaming, then reports the records no signature covers. */
  finish(o: ChainOutcome, t: ChainTable, tree: GrowingTree, ctx: { firstSkipIndex: number; lastLoc: number }): void {
    const present = o.aliveCount;
    const lastSeq = o.lastAlive >= 0 ? t.seq.data[o.lastAlive] : Number.NaN;
    let offset: number | null = o.partialStart >= 0 ? null : 0; // records before the first one in the file
    const firstTrouble = Math.min(o.firstFindingIndex, ctx.firstSkipIndex);
    const heads = this.digest && !this.digest.status ? [...this.stored, this.digest] : this.stored;
    for (const st of heads) {
      if (st.status) continue;
      const h = st.head;
      const C = h.recordCount;
      const what = st.kind === 'digest' ? 'the digest file' : `the checkpoint at ${this.r.whereLoc(st.loc)}`;
      const explained = firstTrouble <= Math.min(st.recordsBefore, t.count);
      let j = st.target;
      if (j < 0 && h.lastHash) j = t.findHash(this.lastHashBytes(h.lastHash));
      if (j >= 0 && !o.alive[j]) j = -1;
      if (j < 0 && !h.lastHash && offset !== null && C <= present + offset) j = o.atRank(C - 1 - offset); // root-only head
      if (j >= 0) {
        const rank = o.aliveRank(j) + 1;
        if (offset === null) offset = C - rank; // a partial export: the first placed head says how much is missing
        const pos = rank + offset;
        if (pos !== C) {
          if (explained) this.settle(st, 'explained', j);
          else {
            const k = Math.abs(C - pos);
            this.r.atLoc(st.kind === 'digest' ? ctx.lastLoc : st.loc, C > pos ? 'deleted' : 'inserted', 'high',
              `${what} says its last record is record ${C}; here that record is number ${pos}: ${k} record(s) ${C > pos ? 'removed' : 'added'} before it and the chain recomputed`,
              { expected: String(C), actual: String(pos) });
            this.settle(st, 'mismatch', j);
          }
          continue;
        }
        const root = h.merkleRoot && offset === 0 ? tree.rootAt(C) : undefined;
        if (root && h.merkleRoot && !root.equals(h.merkleRoot)) {
          if (explained) this.settle(st, 'explained', j);
          else {
            this.r.atLoc(st.loc, 'unverifiable', 'medium',
              `the Merkle root in ${what} differs from the root of the ${C} records it covers although their hash chain matches: the producer builds its tree another way`,
              { expected: h.merkleRoot.toString('hex'), actual: root.toString('hex') });
            this.settle(st, 'mismatch', j);
          }
          continue;
        }
        this.settle(st, st.sig === 'ok' ? 'verified' : 'consistent', j);
        continue;
      }
      // The head's last record is not in the log.
      const seqBeyond = h.seq !== null && !Number.isNaN(lastSeq) && h.seq > lastSeq;
      const countBeyond = offset !== null && C > present + offset;
      if (seqBeyond || (countBeyond && !explained)) {
        const have = offset !== null ? present + offset : null;
        const missing = countBeyond && have !== null ? C - have : (h.seq as number) - lastSeq;
        this.r.atLoc(st.kind === 'digest' ? ctx.lastLoc : st.loc, 'truncated', 'high',
          `${what} covers ${C} records${h.seq !== null ? ` (up to seq ${h.seq})` : ''} but the log ends ${have !== null ? `after ${have}` : `at seq ${lastSeq}`}: the last ${missing} record(s) were removed`,
          { expected: String(C), actual: have !== null ? String(have) : String(lastSeq) });
        this.settle(st, 'mismatch', -1);
      } else if (explained) {
        this.settle(st, 'explained', -1);
      } else if (offset === null) {
        this.r.atLoc(st.loc, 'unverifiable', 'medium', `${what} names a last record that is not in this partial export, so it cannot be placed`, { expected: h.lastHash ?? undefined });
        this.settle(st, 'mismatch', -1);
      } else {
        const x = o.atRank(C - 1 - offset);
        const since = this.lastVerified ? `after ${this.r.where(this.lastVerified.target)} (the last verified checkpoint)` : 'from the start';
        const msg = `${what} says record ${C} has hash ${h.lastHash}, but it has another: a record ${since} up to here was changed and the chain recomputed`;
        if (x >= 0) this.r.atRecord(x, 'modified', 'high', msg, { expected: h.lastHash ?? undefined, actual: t.notes.get(x)?.hash });
        else this.r.atLoc(st.loc, 'modified', 'high', msg, { expected: h.lastHash ?? undefined });
        this.settle(st, 'mismatch', -1);
      }
    }
    if (this.notStored > 0) {
      this.r.atLoc(0, 'info', 'info', `${this.notStored} checkpoint(s) were not placed against the chain (more than ${MAX_STORED} needed it)`);
    }
    this.reportCoverage(o);
  }

  private reportCoverage(o: ChainOutcome): void {
    if (this.counts.total === 0 || o.aliveCount === 0) return;
    if (this.keys.length === 0) {
      const n = this.counts.consistent + this.counts.explained + this.counts.mismatched;
      this.r.atLoc(0, 'info', 'info', `${n} signed checkpoint(s) or digest found; their signatures were not checked: no public key was given`);
      return;
    }
    const covered = this.lastVerified ? o.aliveRank(this.lastVerified.target) + 1 : 0;
    const tail = o.aliveCount - covered;
    if (tail <= 0) return;
    const first = o.atRank(covered);
    const after = this.lastVerified ? `after the last verified checkpoint (${this.lastVerified.summary.kind === 'digest' ? 'the digest file' : this.r.whereLoc(this.lastVerified.summary.loc)})` : 'in the log (no checkpoint verified)';
    if (first >= 0) this.r.atRecord(first, 'info', 'info', `${tail} record(s) ${after} are not covered by a signature`);
  }

  /** Signed roots by tree size, from heads whose signature verified or was not checked, for inclusion proofs. */
  signedRoots(): Map<number, { root: Buffer; signed: boolean }[]> {
    const out = new Map<number, { root: Buffer; signed: boolean }[]>();
    const add = (h: TreeHead, sig: SignatureStatus) => {
      if (!h.merkleRoot || (sig !== 'ok' && sig !== 'unchecked')) return;
      const list = out.get(h.recordCount) ?? [];
      list.push({ root: h.merkleRoot, signed: sig === 'ok' });
      out.set(h.recordCount, list);
    };
    for (const st of this.stored) add(st.head, st.sig);
    if (this.digest) add(this.digest.head, this.digest.sig);
    for (const c of this.confirmed) add(c.head, c.sig);
    return out;
  }
}
