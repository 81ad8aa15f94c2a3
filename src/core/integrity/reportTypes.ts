// The result of verifying a log (verifyIntegrity), as the extension, the CLI and the report renderers read it.
import type { SeqMode } from './classifyChain';
import type { DetectionStatus } from './detectProfile';
import type { Finding, FindingClass, Severity, Verdict } from './findings';
import type { ProofCounts } from './inclusionProofs';
import type { IntegrityProfile } from './profiles';
import type { HeadStatus, TreeHeadCounts, TreeHeadSummary } from './treeHeads';

export interface VerifiedFile {
  path: string;
  /** The container format it was read as, or "values" for an in-memory iterator. */
  format: string;
  compressed: boolean;
  /** Size on disk. */
  bytes: number;
  /** SHA-256 (hex) of the file as stored (compressed bytes for gzip): compare with `sha256sum`. */
  sha256: string | null;
}

/** A signed tree head as the report shows it: the engine's summary, located by line (and file) instead of its encoded location. */
export type CheckpointReport = Omit<TreeHeadSummary, 'loc'> & {
  /** The checkpoint's line (0 for the digest file). */
  line: number;
  file?: string;
};

export interface IntegrityReport {
  verdict: Verdict;
  /** One sentence: the verdict and what it rests on. */
  summary: string;
  files: VerifiedFile[];
  /** sha256 of the (first) export file; null for an in-memory input. */
  exportSha256: string | null;
  profile: (IntegrityProfile & { name: string }) | null;
  /**
   * How the profile was chosen. status: found; no-chain (no hash fields); needs-key (hash fields, no plain profile
   * matches, no HMAC key given: ask the user for the key); unknown (nothing matches, even with the key given).
   */
  profileChoice: { source: 'auto' | 'configured'; status: DetectionStatus; reason: string; matched: number; sampled: number };
  records: {
    /** Values read (records + checkpoints + values that are not objects). */
    values: number;
    /** Chain records (everything but checkpoints and non-objects). */
    chain: number;
    /** Chain records whose hash matched their content. */
    hashesMatched: number;
    /** Of those, the records verified straight from their bytes: the line was already their canonical text (docs/integrity.md). */
    fastPath: number;
    checkpoints: number;
    skippedLines: number;
    blankLines: number;
    notObjects: number;
  };
  counts: { byClass: Record<FindingClass, number>; bySeverity: Record<Severity, number>; findings: number; omitted: number };
  /** In file and line order; at most maxFindings (the counts above are complete). */
  findings: Finding[];
  checkpoints: TreeHeadCounts;
  lastVerifiedCheckpoint: CheckpointReport | null;
  digest: { path: string | null; status: HeadStatus | 'not-given' | 'not-checked' };
  /** RFC 6962 root over every chain record in file order (hex), and how many leaves. */
  merkle: { root: string; treeSize: number } | null;
  inclusionProofs: ProofCounts;
  /** How seq numbers were judged: consecutive (gaps are findings), increasing, or none. */
  sequence: SeqMode;
  keys: { publicKeys: { fingerprint: string; alg: string | null; source: string }[]; hmacKey: string | null };
  verifiedAt: string;
  elapsedMs: number;
}
