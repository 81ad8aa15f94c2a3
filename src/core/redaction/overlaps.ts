// Overlapping findings (a phone candidate inside an IBAN, a generic secret inside a JWT) are resolved to one
// finding per character: higher confidence wins, then the longer span, then the earlier start. Runs in
// O(n log n) plus O(k²) per cluster of mutually overlapping findings (k is small in practice).
import type { Finding } from './types';

function better(a: Finding, b: Finding): number {
  return b.confidence - a.confidence || b.end - b.start - (a.end - a.start) || a.start - b.start;
}

/** Resolves one cluster: greedy by preference, keeping what does not overlap an already kept finding. */
function resolveCluster(cluster: Finding[], out: Finding[]): void {
  if (cluster.length === 1) {
    out.push(cluster[0]);
    return;
  }
  const kept: Finding[] = [];
  for (const f of [...cluster].sort(better)) {
    if (kept.every((k) => f.end <= k.start || f.start >= k.end)) kept.push(f);
  }
  kept.sort((a, b) => a.start - b.start);
  out.push(...kept);
}

/** The findings without overlaps, sorted by start. */
export function resolveOverlaps(findings: readonly Finding[]): Finding[] {
  if (findings.length <= 1) return [...findings];
  const sorted = [...findings].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Finding[] = [];
  let cluster: Finding[] = [sorted[0]];
  let clusterEnd = sorted[0].end;
  for (let i = 1; i < sorted.length; i++) {
    const f = sorted[i];
    if (f.start < clusterEnd) {
      cluster.push(f);
      clusterEnd = Math.max(clusterEnd, f.end);
    } else {
      resolveCluster(cluster, out);
      cluster = [f];
      clusterEnd = f.end;
    }
  }
  resolveCluster(cluster, out);
  return out;
}
