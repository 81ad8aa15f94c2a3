// Works out a log's hash-chain profile from its first records: field names by presence, hash algorithm and
// encoding from the shape of a hash value, then every remaining combination (canonicalization, and HMAC when a
// key is given) is tried on up to 16 records; the one that reproduces the most stored hashes wins (ties go to
// the earlier candidate: jcs before sorted, plain before keyed). Scoring by "most" rather than "all" keeps
// detection working when one of the first records is itself tampered with.
import { CANONICALIZATIONS, canonicalJson, type Canonicalization } from './canonical';
import { decodeAs, isAllZeros, sniffHashEncoding } from './encoding';
import {
  DIGEST_BYTES,
  HASH_ALGORITHMS,
  HASH_FIELDS,
  PREV_HASH_FIELDS,
  SEQ_FIELDS,
  SIGNATURE_FIELDS,
  TIMESTAMP_FIELDS,
  coveredFields,
  digestText,
  profileName,
  type HashAlgorithm,
  type IntegrityProfile,
  type ProfileFields,
  type ProfileHints,
} from './profiles';

/** How many records detection looks at. */
export const DETECTION_SAMPLE = 16;

export type DetectionStatus = 'found' | 'no-chain' | 'needs-key' | 'unknown';

export interface Detection {
  status: DetectionStatus;
  profile: IntegrityProfile | null;
  /** How the profile was chosen, or why none was, in words for the report. */
  reason: string;
  matched: number;
  sampled: number;
}

function firstPresent(samples: readonly Record<string, unknown>[], names: readonly string[], test: (v: unknown) => boolean): string | null {
  for (const name of names) if (samples.some((s) => test(s[name]))) return name;
  return null;
}

const isString = (v: unknown) => typeof v === 'string';
const isPresent = (v: unknown) => v !== undefined;

/**
 * @param samples the first chain-candidate records of the log (objects that are not checkpoints), in file order
 * @param hints   what the caller or the configuration fixes
 * @param key     the HMAC key, when the caller has one
 */
export function detectProfile(samples: readonly Record<string, unknown>[], hints: ProfileHints, key?: Buffer): Detection {
  const sample = samples.slice(0, DETECTION_SAMPLE);
  const hashField = hints.fields?.hash ?? firstPresent(sample, HASH_FIELDS, isString);
  const withHash = hashField ? sample.filter((s) => typeof s[hashField] === 'string') : [];
  if (!hashField || withHash.length === 0) {
    const why = sample.length === 0 ? 'the log has no records' : `none of the first ${sample.length} records has a "${hints.fields?.hash ?? HASH_FIELDS.join('" or "')}" field`;
    return { status: 'no-chain', profile: null, reason: `no hash chain found: ${why}`, matched: 0, sampled: sample.length };
  }
  const fields: ProfileFields = {
    hash: hashField,
    prevHash: hints.fields?.prevHash !== undefined ? hints.fields.prevHash : firstPresent(sample, PREV_HASH_FIELDS, isPresent),
    seq: hints.fields?.seq !== undefined ? hints.fields.seq : firstPresent(sample, SEQ_FIELDS, (v) => typeof v === 'number'),
    signature: hints.fields?.signature !== undefined ? hints.fields.signature : (firstPresent(sample, SIGNATURE_FIELDS, isPresent) ?? SIGNATURE_FIELDS[0]),
    timestamp: hints.fields?.timestamp !== undefined ? hints.fields.timestamp : firstPresent(sample, TIMESTAMP_FIELDS, isPresent),
  };

  const firstHash = withHash[0][hashField] as string;
  const sniffed = sniffHashEncoding(firstHash);
  const encoding = hints.encoding ?? sniffed?.encoding ?? 'hex';
  const bytes = sniffed && sniffed.encoding === encoding ? sniffed.bytes : decodeAs(firstHash, encoding)?.length;
  const algorithms: HashAlgorithm[] = hints.algorithm ? [hints.algorithm] : HASH_ALGORITHMS.filter((a) => DIGEST_BYTES[a] === bytes);
  if (algorithms.length === 0) {
    return { status: 'unknown', profile: null, reason: `unverifiable: unknown profile: the hash "${firstHash.slice(0, 24)}…" is not a SHA-256/384/512 value in hex or base64`, matched: 0, sampled: withHash.length };
  }
  const canons: readonly Canonicalization[] = hints.canonicalization ? [hints.canonicalization] : CANONICALIZATIONS;
  const keyedOptions = hints.keyed !== undefined ? [hints.keyed] : key ? [false, true] : [false];

  // Score every candidate; canonical texts are shared between algorithms and keyed/plain.
  let best: { canon: Canonicalization; algorithm: HashAlgorithm; keyed: boolean; matched: number } | null = null;
  const same: string[] = [];
  const base: IntegrityProfile = { canonicalization: canons[0], algorithm: algorithms[0], keyed: false, encoding, genesis: null, genesisRequired: false, fields, covered: hints.covered ?? null };
  for (const canon of canons) {
    const texts = withHash.map((s) => {
      try {
        return canonicalJson(coveredFields(base, s), canon);
      } catch {
        return null;
      }
    });
    for (const algorithm of algorithms) {
      for (const keyed of keyedOptions) {
        if (keyed && !key) continue;
        const probe: IntegrityProfile = { ...base, canonicalization: canon, algorithm, keyed };
        let matched = 0;
        texts.forEach((text, i) => {
          const stored = decodeAs(withHash[i][hashField] as string, encoding);
          if (text !== null && stored && stored.equals(digestText(probe, text, key))) matched += 1;
        });
        if (matched === 0) continue;
        const name = profileName({ canonicalization: canon, algorithm, keyed });
        if (!best || matched > best.matched) {
          best = { canon, algorithm, keyed, matched };
          same.length = 0;
        } else if (matched === best.matched) same.push(name);
      }
    }
  }

  if (!best) {
    const tried = `${canons.length * algorithms.length} profile(s) tried on ${withHash.length} record(s)`;
    if (hints.keyed === true && !key) {
      return { status: 'needs-key', profile: null, reason: `the chain is keyed (HMAC) and no HMAC key was given: the key is needed to verify it (${tried})`, matched: 0, sampled: withHash.length };
    }
    if (!key) {
      return {
        status: 'needs-key',
        profile: null,
        reason: `records have hash fields but no plain profile reproduces them: the chain looks keyed (HMAC), so the HMAC key is needed to verify it; otherwise it uses an unknown profile (${tried})`,
        matched: 0,
        sampled: withHash.length,
      };
    }
    return { status: 'unknown', profile: null, reason: `unverifiable: unknown profile: no profile reproduces the stored hashes, with or without the HMAC key given (wrong key, or an unknown profile; ${tried})`, matched: 0, sampled: withHash.length };
  }

  // Genesis: configured, or read from the first record: absent/null/"" → none; zeros → that; a value shaped like a
  // hash → the usual zeros (the export then starts mid-chain); any other string → a named genesis.
  let genesis: string | null;
  let genesisRequired = false;
  let genesisWhy: string;
  const zeros = '0'.repeat(DIGEST_BYTES[best.algorithm] * 2);
  if (hints.genesis !== undefined) {
    genesis = hints.genesis;
    genesisRequired = true;
    genesisWhy = 'configured genesis';
  } else {
    const firstPrev = fields.prevHash ? sample[0][fields.prevHash] : undefined;
    if (firstPrev === undefined || firstPrev === null || firstPrev === '') {
      genesis = null;
      genesisWhy = 'the first record has no prev-hash';
    } else if (typeof firstPrev === 'string' && isAllZeros(firstPrev)) {
      genesis = firstPrev;
      genesisWhy = `genesis ${firstPrev.length} zeros`;
    } else if (typeof firstPrev === 'string' && decodeAs(firstPrev, encoding)?.length !== DIGEST_BYTES[best.algorithm]) {
      genesis = firstPrev;
      genesisWhy = `named genesis "${firstPrev.slice(0, 40)}"`;
    } else {
      genesis = zeros;
      genesisWhy = 'the first record links to an earlier record';
    }
  }

  const profile: IntegrityProfile = { ...base, canonicalization: best.canon, algorithm: best.algorithm, keyed: best.keyed, genesis, genesisRequired };
  const name = profileName(profile);
  const fixed = Object.keys(hints).filter((k) => (hints as Record<string, unknown>)[k] !== undefined);
  const how = fixed.length > 0 ? `configured (${fixed.join(', ')}) and checked` : 'auto-detected';
  const alsoSame = same.length > 0 ? `; ${same.join(', ')} give the same hashes for these records` : '';
  const link = fields.prevHash ? `links in "${fields.prevHash}"` : 'no prev-hash links (each record is checked on its own)';
  return {
    status: 'found',
    profile,
    reason: `${how}: ${name} (${encoding}) reproduces ${best.matched} of ${withHash.length} sampled hashes; ${link}; ${genesisWhy}${alsoSame}`,
    matched: best.matched,
    sampled: withHash.length,
  };
}
