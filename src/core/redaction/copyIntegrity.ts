// The integrity fields of a redacted copy. Redaction changes record content, so the original hash chain (and any
// signature) no longer verifies; copying it unchanged would make the copy look tampered with, or worse, look like
// the original. Three outcomes, chosen per file:
//   rechained  the input carries a chain (hash / prev_hash): the copy gets a new chain with the profile of
//              src/core/integrity/hashChain.ts (SHA-256 over the JCS form without `hash`, genesis 64 zeros);
//   removed    the caller asked for no chain (rechain: false): hash and prev_hash are removed from every record;
//   none       the input has no chain: nothing to redo.
// `signature` is removed from every record whose content or chain changed: nobody can re-sign it here.
import { GENESIS_HASH, recordHash } from '../integrity/hashChain';

export type CopyIntegrity = 'rechained' | 'removed' | 'none';

export const CHAIN_FIELDS: readonly string[] = ['hash', 'prev_hash'];

type Json = Record<string, unknown>;

export function isJsonObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when the record carries a hash-chain field. */
export function hasChainFields(value: unknown): boolean {
  return isJsonObject(value) && (Object.hasOwn(value, 'hash') || Object.hasOwn(value, 'prev_hash'));
}

/** What the copy does with the chain, and the sentence the summary shows. */
export function integrityNote(integrity: CopyIntegrity): string {
  switch (integrity) {
    case 'rechained':
      return 'the input is hash-chained: the copy carries a new chain (same profile: SHA-256 over JCS without "hash", genesis 64 zeros); the original chain does not verify on redacted content';
    case 'removed':
      return 'hash and prev_hash were removed from every record (rechain: false); the copy has no chain';
    case 'none':
      return 'the input carries no hash chain; none was added';
  }
}

/** Links records one after the other into a new chain. */
export class Rechainer {
  private prev = GENESIS_HASH;

  /** Sets prev_hash and hash on `record` (a copy the caller owns) and returns it. */
  link(record: Json): Json {
    record.prev_hash = this.prev;
    delete record.hash;
    const h = recordHash(record);
    record.hash = h;
    this.prev = h;
    return record;
  }
}

/** The record without the named fields (a shallow copy when one is present). */
export function withoutFields(record: Json, fields: readonly string[]): Json {
  if (!fields.some((f) => Object.hasOwn(record, f))) return record;
  const copy = { ...record };
  for (const f of fields) delete copy[f];
  return copy;
}
