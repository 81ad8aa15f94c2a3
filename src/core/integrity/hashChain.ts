// The default hash-chain profile of the project's own format: SHA-256 over the RFC 8785 (JCS) canonical form of
// the record without its `hash` field (nor `signature` and `merkle_proof`, which are written after the hash);
// `prev_hash` links to the previous record; the genesis value is 64 zeros. Other profiles: ./profiles.ts.
import { DEFAULT_PROFILE, computeRecordHash } from './profiles';

export const GENESIS_HASH = '0'.repeat(64);

export function recordHash(record: Record<string, unknown>): string {
  return computeRecordHash(DEFAULT_PROFILE, record);
}

/** Sets prev_hash and hash on each record in order (mutates and returns them). */
export function chainRecords<T extends Record<string, unknown>>(records: T[], genesis = GENESIS_HASH): T[] {
  let prev = genesis;
  for (const r of records) {
    (r as Record<string, unknown>).prev_hash = prev;
    delete (r as Record<string, unknown>).hash;
    const h = recordHash(r);
    (r as Record<string, unknown>).hash = h;
    prev = h;
  }
  return records;
}
