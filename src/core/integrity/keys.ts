// Public keys, signatures and key fingerprints for signed checkpoints and digest files.
//   ed25519      Ed25519 (RFC 8032) over the payload bytes; 64-byte signatures.
//   ecdsa-p256   ECDSA on P-256 with SHA-256; signatures as r||s (64 bytes, as JWS and COSE write them) or DER.
// Keys come in as PEM (SPKI "PUBLIC KEY", or a private key, whose public half is used) given as text or as the path
// of a file. A fingerprint is "sha256:" + the hex SHA-256 of the public key's SPKI DER
// bytes, or of the raw HMAC key bytes (compare with `sha256sum keyfile`); reports show fingerprints, never keys.
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import fs from 'node:fs';

export type SignatureAlg = 'ed25519' | 'ecdsa-p256';

export const SIGNATURE_ALGS: readonly SignatureAlg[] = ['ed25519', 'ecdsa-p256'];

export function isSignatureAlg(value: unknown): value is SignatureAlg {
  return typeof value === 'string' && (SIGNATURE_ALGS as readonly string[]).includes(value);
}

export interface PublicKeyInfo {
  key: KeyObject;
  /** The algorithm the key is for, or null for key types checkpoints cannot use (RSA, other curves). */
  alg: SignatureAlg | null;
  /** "sha256:<hex of SHA-256 of the SPKI DER>". */
  fingerprint: string;
  /** Where the key came from: a path, or "PEM text". */
  source: string;
}

/** The checkpoint algorithm a public key can verify, or null. */
export function keyAlgorithm(key: KeyObject): SignatureAlg | null {
  if (key.asymmetricKeyType === 'ed25519') return 'ed25519';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ecdsa-p256';
  return null;
}

export function publicKeyFingerprint(key: KeyObject): string {
  const der = key.export({ type: 'spki', format: 'der' });
  return 'sha256:' + createHash('sha256').update(der).digest('hex');
}

export function hmacKeyFingerprint(key: Buffer): string {
  return 'sha256:' + createHash('sha256').update(key).digest('hex');
}

/** The public key of a PEM (a private key PEM gives its public half). */
function keyFromPem(pem: string): KeyObject {
  return createPublicKey(pem);
}

/** Loads a public key from PEM text, a PEM file path, or a KeyObject; throws with a readable message. */
export function loadPublicKey(input: string | KeyObject): PublicKeyInfo {
  let key: KeyObject;
  let source: string;
  if (typeof input !== 'string') {
    key = input.type === 'public' ? input : createPublicKey(input);
    source = 'key object';
  } else if (input.includes('-----BEGIN')) {
    key = keyFromPem(input);
    source = 'PEM text';
  } else {
    let text: string;
    try {
      text = fs.readFileSync(input, 'utf8');
    } catch (err) {
      throw new Error(`cannot read public key file ${input}: ${(err as Error).message}`);
    }
    if (!text.includes('-----BEGIN')) throw new Error(`${input} is not a PEM file (no "-----BEGIN" line)`);
    try {
      key = keyFromPem(text);
    } catch (err) {
      throw new Error(`${input}: not a usable public key: ${(err as Error).message}`);
    }
    source = input;
  }
  return { key, alg: keyAlgorithm(key), fingerprint: publicKeyFingerprint(key), source };
}

/** Verifies a signature; false (never a throw) for a malformed signature or a key of another type. */
export function verifySignature(alg: SignatureAlg, key: KeyObject, payload: Buffer, signature: Buffer): boolean {
  if (keyAlgorithm(key) !== alg) return false;
  try {
    if (alg === 'ed25519') return verify(null, payload, key, signature);
    const dsaEncoding = signature.length === 64 ? 'ieee-p1363' : 'der';
    return verify('sha256', payload, { key, dsaEncoding }, signature);
  } catch {
    return false;
  }
}

/** Signs a payload (writers and tests): Ed25519, or ECDSA P-256/SHA-256 as r||s. */
export function signPayload(alg: SignatureAlg, privateKey: KeyObject, payload: Buffer): Buffer {
  if (alg === 'ed25519') return sign(null, payload, privateKey);
  return sign('sha256', payload, { key: privateKey, dsaEncoding: 'ieee-p1363' });
}
