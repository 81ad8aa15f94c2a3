// The default hash-chain profile of the project's own format: SHA-256 over the RFC 8785 (JCS) canonical form of
// the record without its `hash` field; `prev_hash` links to the previous record; the genesis value is 64 zeros.
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

export const GENESIS_HASH = '0'.repeat(64);

export function recordHash(record: Record<string, unknown>): string {
  const { hash: _omit, ...covered } = record;
  const canonical = canonicalize(covered);
  if (canonical === undefined) throw new Error('record cannot be canonicalized');
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
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
