// Signed tree heads: checkpoint records inside the log, and the digest file kept apart from it. Both say "the first
// record_count chain records of this log end with the record whose hash is last_hash, and their Merkle tree has
// this root", signed by the producer:
//   {"type":"integrity.checkpoint","version":1,"record_count":1000,"seq":1000,"last_hash":"…","merkle_root":"…",
//    "ts":"2026-11-02T09:00:00.000Z","key_id":"sha256:…","alg":"ed25519","signature":"<base64>"}
// A digest file is one such JSON object with "type":"integrity.digest" (and optionally "file", the export's name).
// The signature covers the RFC 8785 canonical JSON of the object without its `signature` member (so every other
// member, the type included, is signed). Checkpoint records are not chain records: they have no prev_hash/hash,
// are not Merkle leaves and do not count in record_count.
import fs from 'node:fs';
import canonicalize from 'canonicalize';
import { decodeBase64, decodeHex } from './encoding';
import { isSignatureAlg, type SignatureAlg } from './keys';

export const CHECKPOINT_TYPE = 'integrity.checkpoint';
export const DIGEST_TYPE = 'integrity.digest';

/** A checkpoint or digest as written (the JSON shape). */
export interface TreeHeadJson {
  type: string;
  version?: number;
  /** Chain records covered, counted from the first record of the log. */
  record_count: number;
  /** The `seq` of the last covered record, when the log numbers its records. */
  seq?: number;
  /** The hash of the last covered record, exactly as its hash field holds it. */
  last_hash?: string;
  /** Hex RFC 6962 root over the first record_count leaves. */
  merkle_root?: string;
  ts?: string;
  /** Names the signing key; "sha256:<SPKI fingerprint>" lets the verifier pick the right key. */
  key_id?: string;
  alg: SignatureAlg;
  /** Base64 signature over canonical JSON of this object without `signature`. */
  signature: string;
  /** Digest files: the name of the export they describe. */
  file?: string;
}

/** A validated tree head. */
export interface TreeHead {
  json: TreeHeadJson;
  recordCount: number;
  seq: number | null;
  lastHash: string | null;
  merkleRoot: Buffer | null;
  alg: SignatureAlg;
  keyId: string | null;
  signature: Buffer | null;
  /** The bytes the signature is over. */
  payload: Buffer;
}

export function isTreeHeadType(value: unknown, type: string): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && (value as Record<string, unknown>).type === type;
}

/** The signed bytes: canonical JSON of the head without `signature`. */
export function treeHeadPayload(head: Record<string, unknown>): Buffer {
  const { signature: _signature, ...rest } = head;
  return Buffer.from(canonicalize(rest) as string, 'utf8');
}

/** Checks the shape of a checkpoint or digest; the reason when it is not usable. */
export function parseTreeHead(value: unknown): { ok: true; head: TreeHead } | { ok: false; reason: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, reason: 'not a JSON object' };
  const v = value as Record<string, unknown>;
  const count = v.record_count;
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) return { ok: false, reason: 'record_count must be a whole number ≥ 0' };
  if (v.seq !== undefined && typeof v.seq !== 'number') return { ok: false, reason: 'seq must be a number' };
  if (v.last_hash !== undefined && typeof v.last_hash !== 'string') return { ok: false, reason: 'last_hash must be a string' };
  let root: Buffer | null = null;
  if (v.merkle_root !== undefined) {
    root = typeof v.merkle_root === 'string' ? decodeHex(v.merkle_root) : null;
    if (!root || root.length !== 32) return { ok: false, reason: 'merkle_root must be 64 hex digits (a SHA-256 root)' };
  }
  if (v.last_hash === undefined && root === null) return { ok: false, reason: 'needs last_hash or merkle_root' };
  if (!isSignatureAlg(v.alg)) return { ok: false, reason: `alg must be "ed25519" or "ecdsa-p256" (got ${JSON.stringify(v.alg)})` };
  if (typeof v.signature !== 'string') return { ok: false, reason: 'signature must be a base64 string' };
  if (v.key_id !== undefined && typeof v.key_id !== 'string') return { ok: false, reason: 'key_id must be a string' };
  let payload: Buffer;
  try {
    payload = treeHeadPayload(v);
  } catch (err) {
    return { ok: false, reason: `cannot canonicalize: ${(err as Error).message}` };
  }
  return {
    ok: true,
    head: {
      json: v as unknown as TreeHeadJson,
      recordCount: count,
      seq: typeof v.seq === 'number' ? v.seq : null,
      lastHash: typeof v.last_hash === 'string' ? v.last_hash : null,
      merkleRoot: root,
      alg: v.alg,
      keyId: typeof v.key_id === 'string' ? v.key_id : null,
      signature: decodeBase64(v.signature), // null: not canonical base64, reported as a bad signature
      payload,
    },
  };
}

/** Reads a digest file (a checkpoint object saved on its own is accepted too). */
export function readDigestFile(path: string): TreeHead {
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read digest file ${path}: ${(err as Error).message}`);
  }
  if (!isTreeHeadType(value, DIGEST_TYPE) && !isTreeHeadType(value, CHECKPOINT_TYPE)) {
    throw new Error(`${path}: not a digest file (needs "type": "${DIGEST_TYPE}")`);
  }
  const parsed = parseTreeHead(value);
  if (!parsed.ok) throw new Error(`${path}: ${parsed.reason}`);
  return parsed.head;
}
