// Phase 2 of chain verification: classifies every break of the chain from the compact per-record arrays of
// phase 1 (chainTable.ts). The rules, in the order they apply (docs/integrity.md has them as a table):
//
//   R1 duplicated  the record's hash equals an earlier record's hash: a replay. It is set aside (not part of the
//                  chain); a record with no hash field at all is set aside as inserted.
//   R2 inserted    nobody links to the record, the record after it links to a record before it (or to the genesis
//                  when it is first), and its own link does not point forward. Set aside; repeated, so a run of
//                  forged records is found one by one from its end.
//   R3 modified    the record's content does not give its hash.
//   R4 break       the record links to a hash no record has ("dangling"); with o = the record before it:
//                    o is the first record              partial chain (info), or deleted when the genesis is required
//                    a skipped line comes between       explained by that line (reported as unverifiable)
//                    o's content no longer matches      explained by o (its hash field was changed)
//                    nobody links to o, seq(x)=seq(o)+1 o was modified and its hash recomputed: modified at o
//                    otherwise                          deleted at x (seq says how many when it can)
//   R5 reordered   a record whose link does not point to the record before it AND whose successor in the file does
//                  not link to it: it sits in the wrong place (the records around a moved one keep one good side),
//                  unless it is the middle of a swap of its two neighbours (they fit once traded back).
//   R6 sequence    between two records whose link is intact and whose hashes match ("trusted pairs"): a seq seen
//                  before is duplicated, a seq going back is reordered, a jump (when the log numbers consecutively:
//                  at most 1% of steps, or 2, jump) is deleted, all medium (the chain was recomputed over it); a
//                  timestamp going back is reordered with severity info (the chain proves the producer wrote that
//                  order: a clock question).
import { DANGLING, F_DUP, F_NOHASH, F_OK, F_SKIP_BEFORE, GEN, type ChainTable } from './chainTable';
import { RangeSet } from './compact';
import type { FindingClass, Severity } from './findings';

export interface ClassifyOptions {
  /** The genesis was configured: a first record that does not link to it means records were deleted at the head. */
  genesisRequired: boolean;
  /** False when the profile has no prev-hash link: only content, replays and seq are checked. */
  linked: boolean;
}

export type ChainEmit = (x: number, cls: FindingClass, severity: Severity, message: string, detail?: { expected?: string; actual?: string }) => void;

export type SeqMode = 'consecutive' | 'increasing' | 'none';

export interface ChainOutcome {
  /** 1 for records that are part of the chain, 0 for the ones set aside (replayed, inserted, no hash). */
  alive: Uint8Array;
  /** Non-zero for records with a finding above info. */
  flagged: Uint8Array;
  aliveCount: number;
  /** The smallest record index with a finding above info; Infinity when none. */
  firstFindingIndex: number;
  /** The first record when the export starts mid-chain, else -1. */
  partialStart: number;
  seqMode: SeqMode;
  /** Position of record x among the chain records (0-based). */
  aliveRank(x: number): number;
  /** The record at chain position `rank` (0-based), or -1. */
  atRank(rank: number): number;
  /** The last chain record, or -1. */
  lastAlive: number;
}

/** Runs the rules above; `where(x)` names a record's place ("line 12") for messages. */
export function classifyChain(t: ChainTable, opts: ClassifyOptions, emit: ChainEmit, where: (x: number) => string): ChainOutcome {
  const n = t.count;
  const pred = t.pred.data;
  const flags = t.flags.data;
  const seq = t.seq.data;
  const ts = t.ts.data;
  const alive = new Uint8Array(n);
  const flagged = new Uint8Array(n);
  const prevA = new Int32Array(n).fill(-1);
  const nextA = new Int32Array(n).fill(-1);
  let firstFinding = Infinity;
  let partialStart = -1;
  const note = (x: number) => t.notes.get(x) ?? {};
  const report: ChainEmit = (x, cls, severity, message, detail) => {
    emit(x, cls, severity, message, detail);
    if (severity !== 'info') {
      flagged[x] = 1;
      if (x < firstFinding) firstFinding = x;
    }
  };

  // R1: replays and records without a hash are set aside.
  let last = -1;
  for (let x = 0; x < n; x++) {
    if (flags[x] & F_NOHASH) {
      report(x, 'inserted', 'high', 'the record has no hash field although the log is hash-chained: it was added outside the chain');
      continue;
    }
    if (flags[x] & F_DUP) {
      const e = t.dupOf.get(x);
      const orig = e === undefined ? 'an earlier record' : `the record at ${where(e)}`;
      const extra = flags[x] & F_OK ? '' : ', and its content does not match that hash';
      report(x, 'duplicated', 'high', `same hash as ${orig}: a replayed copy${extra}`, { actual: note(x).hash });
      continue;
    }
    alive[x] = 1;
    prevA[x] = last;
    if (last >= 0) nextA[last] = x;
    last = x;
  }

  const succ = new Int32Array(n);
  for (let x = 0; x < n; x++) {
    const p = pred[x];
    if (alive[x] && p >= 0 && alive[p]) succ[p] += 1;
  }
  const remove = (x: number) => {
    alive[x] = 0;
    const p = prevA[x];
    const q = nextA[x];
    if (p >= 0) nextA[p] = q;
    if (q >= 0) prevA[q] = p;
    if (pred[x] >= 0 && alive[pred[x]]) succ[pred[x]] -= 1;
  };

  if (opts.linked) {
    // R2: inserted records.
    const inserted = (x: number): boolean => {
      if (!alive[x] || flagged[x] || succ[x] !== 0 || nextA[x] < 0 || pred[x] > x) return false;
      const pn = pred[nextA[x]];
      return pn === GEN ? prevA[x] < 0 : pn >= 0 && pn < x && alive[pn] === 1;
    };
    for (let x = 0; x < n; x++) {
      let y = x;
      while (y >= 0 && inserted(y)) {
        const q = nextA[y];
        const target = pred[q] === GEN ? 'the genesis value' : `the record at ${where(pred[q])}`;
        const own = flags[y] & F_OK ? 'its own hash matches its content: a forged record with a computed hash' : 'its hash does not match its content either';
        report(y, 'inserted', 'high', `no record links to it, and the next record (${where(q)}) links past it to ${target}; ${own}`);
        const p = prevA[y];
        remove(y);
        y = p;
      }
    }
  }

  // R3: content that does not give the record's hash.
  for (let x = 0; x < n; x++) {
    if (alive[x] && !flagged[x] && !(flags[x] & F_OK)) {
      report(x, 'modified', 'high', 'its content does not match its hash: the record was changed after it was written', {
        expected: note(x).hash,
        actual: note(x).computed,
      });
    }
  }

  if (opts.linked) {
    // R4: links to a hash that no record has.
    for (let x = 0; x < n; x++) {
      if (!alive[x] || flagged[x] || pred[x] !== DANGLING) continue;
      const o = prevA[x];
      if (o < 0) {
        if (flags[x] & F_SKIP_BEFORE) continue;
        partialStart = x;
        if (opts.genesisRequired) {
          report(x, 'deleted', 'high', 'the first record does not link to the genesis value: records are missing before it', { actual: note(x).prev });
        } else {
          emit(x, 'partial-chain', 'info', 'the export starts mid-chain: the first record links to a record that is not in this file (the chain is checked from here on)', {
            actual: note(x).prev,
          });
        }
        continue;
      }
      if (flags[x] & F_SKIP_BEFORE) continue;
      if (flagged[o]) continue;
      const detail = { expected: note(x).prev, actual: note(o).hash };
      if (succ[o] === 0) {
        const d = seq[x] - seq[o];
        if (d === 1) {
          report(o, 'modified', 'high', `the record was changed and its hash recomputed: the next record (${where(x)}) links to its original hash`, detail);
        } else if (d > 1) {
          report(x, 'deleted', 'high', `${d - 1} record(s) missing before it (seq ${seq[o]} → ${seq[x]}): it links to a record that is not in the log`, detail);
        } else {
          report(x, 'deleted', 'high', `it links to a record that is not in the log: records were removed before it, or the record at ${where(o)} was changed and its hash recomputed`, detail);
        }
      } else {
        report(x, 'deleted', 'high', 'it links to a record that is not in the log', detail);
      }
    }

    // R5: records in the wrong place. The one exception is the middle record of a swap of its two neighbours
    // (a C B A d from a A B C d): both of its links disagree with the file, yet it kept its place; it is recognised
    // by the neighbours' links fitting exactly once they trade places back.
    const middleOfSwap = (x: number): boolean => {
      const p = prevA[x];
      const q = nextA[x];
      if (p < 0 || q < 0 || pred[x] !== q || pred[p] !== x) return false;
      const pp = prevA[p];
      const qq = nextA[q];
      const qFits = pp >= 0 ? pred[q] === pp : pred[q] === GEN || pred[q] === DANGLING;
      const pFits = qq >= 0 ? pred[qq] === p : succ[p] === 0;
      return qFits && pFits;
    };
    for (let x = 0; x < n; x++) {
      if (!alive[x] || flagged[x]) continue;
      const p = prevA[x];
      const q = nextA[x];
      const inOk = p < 0 ? pred[x] === GEN || pred[x] === DANGLING : pred[x] === p || pred[x] === DANGLING;
      const outOk = q >= 0 ? pred[q] === x || pred[q] === DANGLING : succ[x] === 0;
      if (inOk || outOk || middleOfSwap(x)) continue;
      const target = pred[x] === GEN ? 'the genesis value' : `the record at ${where(pred[x])}`;
      report(x, 'reordered', 'high', `out of place: it links to ${target}, not to the record before it, and the record after it does not link to it`);
    }
  }

  // R6: seq and time between trusted pairs.
  const trusted = (x: number): number => {
    const o = prevA[x];
    if (!alive[x] || o < 0 || flagged[x] || flagged[o] || pred[x] !== o) return -1;
    return flags[x] & F_OK && flags[o] & F_OK ? o : -1;
  };
  // The log numbers consecutively when at most 1% of its trusted steps (at least 2) skip numbers; a log whose
  // numbers jump more often (shards of a global sequence, say) is only checked for going back and repeats.
  let steps = 0;
  let jumps = 0;
  for (let x = 0; x < n; x++) {
    const o = trusted(x);
    if (o < 0 || Number.isNaN(seq[x]) || Number.isNaN(seq[o])) continue;
    steps += 1;
    if (seq[x] > seq[o] + 1) jumps += 1;
  }
  const seqMode: SeqMode = steps === 0 ? 'none' : jumps <= Math.max(2, 0.01 * steps) ? 'consecutive' : 'increasing';
  const seen = new RangeSet();
  for (let x = 0; x < n; x++) {
    if (!alive[x]) continue;
    const o = trusted(x);
    const s = seq[x];
    if (o >= 0 && !Number.isNaN(s) && !Number.isNaN(seq[o])) {
      if (seen.has(s)) {
        report(x, 'duplicated', 'medium', `seq ${s} is used a second time although the chain links here (a record was replayed and the chain recomputed)`);
      } else if (s < seq[o]) {
        report(x, 'reordered', 'medium', `seq goes back from ${seq[o]} to ${s} although the chain links here (records were moved and the chain recomputed)`);
      } else if (seqMode === 'consecutive' && s > seq[o] + 1) {
        report(x, 'deleted', 'medium', `seq jumps from ${seq[o]} to ${s} although the chain links here: ${s - seq[o] - 1} number(s) missing (records removed and the chain recomputed?)`);
      }
    }
    if (o >= 0 && ts[x] < ts[o]) {
      emit(x, 'reordered', 'info', `the timestamp goes back ${Math.round(ts[o] - ts[x])} ms from the record before; the chain links, so this is the order it was written in (clock skew between writers?)`);
    }
    if (!Number.isNaN(s) && !flagged[x]) seen.add(s);
  }

  // Ranks among chain records, through the (few) records set aside.
  const removed: number[] = [];
  let aliveCount = 0;
  let lastAlive = -1;
  for (let x = 0; x < n; x++) {
    if (alive[x]) {
      aliveCount += 1;
      lastAlive = x;
    } else removed.push(x);
  }
  const removedBefore = (x: number): number => {
    let lo = 0;
    let hi = removed.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (removed[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return {
    alive,
    flagged,
    aliveCount,
    firstFindingIndex: firstFinding,
    partialStart,
    seqMode,
    lastAlive,
    aliveRank: (x) => x - removedBefore(x),
    atRank: (rank) => {
      if (rank < 0 || rank >= aliveCount) return -1;
      // f(x) = x - removedBefore(x) counts the chain records before x and never decreases; the record with rank r
      // is the one just before the first x where f(x) reaches r + 1.
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (mid - removedBefore(mid) >= rank + 1) hi = mid;
        else lo = mid + 1;
      }
      const x = lo - 1;
      return x >= 0 && alive[x] ? x : -1;
    },
  };
}
