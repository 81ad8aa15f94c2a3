// A hash-chain profile: everything needed to recompute a record's hash and follow its link to the previous record.
//   hash(record) = H(canonical(covered fields of the record))       H = sha256 | sha384 | sha512, or HMAC-H with a key
// The covered fields are, by default, every top-level field except the hash field, the signature field and
// `merkle_proof` (those are written after the hash is known); the prev-hash field IS covered, which is what binds
// each record to its predecessor. A profile may instead list the covered fields explicitly.
import { createHash, createHmac } from 'node:crypto';
import { CANONICALIZATIONS, canonicalJson, type Canonicalization } from './canonical';
import { encodeAs, type HashEncoding } from './encoding';

export type HashAlgorithm = 'sha256' | 'sha384' | 'sha512';

export const HASH_ALGORITHMS: readonly HashAlgorithm[] = ['sha256', 'sha384', 'sha512'];

/** Digest size in bytes of each algorithm. */
export const DIGEST_BYTES: Record<HashAlgorithm, number> = { sha256: 32, sha384: 48, sha512: 64 };

/** The field holding an inclusion proof; never covered by the record hash (it is computed after the tree). */
export const MERKLE_PROOF_FIELD = 'merkle_proof';

export interface ProfileFields {
  /**
   * Link to the previous record's hash: `prev_hash`, `prevHash` or `previous_hash`; null when records carry a hash
   * but no link (each record's content is then checked on its own, and order cannot be).
   */
  prevHash: string | null;
  /** The record's own hash. */
  hash: string;
  /** Sequence number (`seq`, `sequence`), or null when the log has none. */
  seq: string | null;
  /** A per-record signature field, left out of the hash; null when none. */
  signature: string | null;
  /** Timestamp field used for the time-order check (`ts`, `timestamp`, `time`), or null. */
  timestamp: string | null;
}

export interface IntegrityProfile {
  canonicalization: Canonicalization;
  algorithm: HashAlgorithm;
  /** HMAC-<algorithm> with a caller-supplied key instead of a plain hash. */
  keyed: boolean;
  /** How hash values are written. */
  encoding: HashEncoding;
  /** The prev-hash value of the first record of a complete chain; null when that record has no (or a null or empty) prev-hash. */
  genesis: string | null;
  /**
   * True when the genesis was configured rather than guessed: a first record that does not link to it is then
   * reported as records deleted at the head instead of a partial export.
   */
  genesisRequired: boolean;
  fields: ProfileFields;
  /** The covered top-level fields, or null for "all except hash, signature and merkle_proof". */
  covered: string[] | null;
}

/** Part of a profile, e.g. from a profile name or from `.auditlens.json`; detection fills in the rest. */
export interface ProfileHints {
  canonicalization?: Canonicalization;
  algorithm?: HashAlgorithm;
  keyed?: boolean;
  encoding?: HashEncoding;
  /** undefined: detect; null: the first record has no prev-hash; a string: that exact value. */
  genesis?: string | null;
  fields?: Partial<ProfileFields>;
  covered?: string[] | null;
}

export const PREV_HASH_FIELDS = ['prev_hash', 'prevHash', 'previous_hash'] as const;
export const HASH_FIELDS = ['hash'] as const;
export const SEQ_FIELDS = ['seq', 'sequence'] as const;
export const TIMESTAMP_FIELDS = ['ts', 'timestamp', 'time'] as const;
export const SIGNATURE_FIELDS = ['signature'] as const;

/** The project's own profile (what generateSample and chainRecords write). */
export const DEFAULT_PROFILE: IntegrityProfile = {
  canonicalization: 'jcs',
  algorithm: 'sha256',
  keyed: false,
  encoding: 'hex',
  genesis: '0'.repeat(64),
  genesisRequired: false,
  fields: { prevHash: 'prev_hash', hash: 'hash', seq: 'seq', signature: 'signature', timestamp: 'ts' },
  covered: null,
};

/** `jcs-sha256`, `sorted-ascii-hmac-sha512`: canonicalization, `hmac-` when keyed, algorithm. */
export function profileName(p: Pick<IntegrityProfile, 'canonicalization' | 'algorithm' | 'keyed'>): string {
  return `${p.canonicalization}-${p.keyed ? 'hmac-' : ''}${p.algorithm}`;
}

const NAME = /^(jcs|sorted|sorted-ascii)-(hmac-)?(sha256|sha384|sha512)$/;

/** The names parseProfileName accepts, for usage texts. */
export function profileNames(): string[] {
  const out: string[] = [];
  for (const c of CANONICALIZATIONS) for (const a of HASH_ALGORITHMS) out.push(`${c}-${a}`, `${c}-hmac-${a}`);
  return out;
}

/** Hints from a profile name such as `jcs-sha256`, `sorted-sha384` or `jcs-hmac-sha256`; null when not a name. */
export function parseProfileName(name: string): ProfileHints | null {
  const m = NAME.exec(name.trim().toLowerCase());
  if (!m) return null;
  return { canonicalization: m[1] as Canonicalization, keyed: m[2] !== undefined, algorithm: m[3] as HashAlgorithm };
}

/** The object whose canonical form is hashed: the covered fields of the record. */
export function coveredFields(profile: IntegrityProfile, record: Record<string, unknown>): Record<string, unknown> {
  if (profile.covered) {
    const out: Record<string, unknown> = {};
    for (const key of profile.covered) {
      if (Object.prototype.hasOwnProperty.call(record, key)) out[key] = record[key];
    }
    return out;
  }
  const out: Record<string, unknown> = { ...record };
  delete out[profile.fields.hash];
  if (profile.fields.signature) delete out[profile.fields.signature];
  delete out[MERKLE_PROOF_FIELD];
  return out;
}

/** The canonical text the record hash (and its Merkle leaf) is computed over. */
export function canonicalText(profile: IntegrityProfile, record: Record<string, unknown>): string {
  return canonicalJson(coveredFields(profile, record), profile.canonicalization);
}

/** The digest of a canonical text (or its UTF-8 bytes): plain hash, or HMAC when the profile is keyed (the key is then required). */
export function digestText(profile: IntegrityProfile, text: string | Buffer, key?: Buffer): Buffer {
  if (profile.keyed) {
    if (!key) throw new Error(`profile ${profileName(profile)} needs an HMAC key`);
    return createHmac(profile.algorithm, key).update(text).digest();
  }
  return createHash(profile.algorithm).update(text).digest();
}

/** The hash value a record should carry under the profile, encoded as the profile says. */
export function computeRecordHash(profile: IntegrityProfile, record: Record<string, unknown>, key?: Buffer): string {
  return encodeAs(digestText(profile, canonicalText(profile, record), key), profile.encoding);
}

/** A complete profile from hints, with the defaults of DEFAULT_PROFILE for what they leave out. */
export function profileFromHints(hints: ProfileHints): IntegrityProfile {
  const algorithm = hints.algorithm ?? DEFAULT_PROFILE.algorithm;
  const encoding = hints.encoding ?? DEFAULT_PROFILE.encoding;
  const zeros = encoding === 'hex' ? '0'.repeat(DIGEST_BYTES[algorithm] * 2) : DEFAULT_PROFILE.genesis;
  return {
    canonicalization: hints.canonicalization ?? DEFAULT_PROFILE.canonicalization,
    algorithm,
    keyed: hints.keyed ?? false,
    encoding,
    genesis: hints.genesis === undefined ? zeros : hints.genesis,
    genesisRequired: hints.genesis !== undefined,
    fields: { ...DEFAULT_PROFILE.fields, ...hints.fields },
    covered: hints.covered ?? null,
  };
}
