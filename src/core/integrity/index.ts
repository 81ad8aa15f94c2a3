// The integrity engine's public API (plain Node; no `vscode`). docs/integrity.md describes the formats and rules.
export { verifyIntegrity, type IntegrityInput, type IntegrityProgress, type VerifyOptions } from './verify';
export type { IntegrityReport, CheckpointReport, VerifiedFile } from './reportTypes';
export { FINDING_CLASSES, TAMPER_CLASSES, type Finding, type FindingClass, type Severity, type Verdict } from './findings';
export { reportToJson, reportToMarkdown, reportToText, escapeMarkdown, summarize } from './report';
export {
  DEFAULT_PROFILE,
  computeRecordHash,
  parseProfileName,
  profileFromHints,
  profileName,
  profileNames,
  type HashAlgorithm,
  type IntegrityProfile,
  type ProfileFields,
  type ProfileHints,
} from './profiles';
export type { Canonicalization } from './canonical';
export { detectProfile, type Detection } from './detectProfile';
export { digestPathFor, hintsFromConfig, parseAuditLensFile, parseIntegrityConfig, type ConfigResult, type IntegrityConfig } from './config';
export { CHECKPOINT_TYPE, DIGEST_TYPE, parseTreeHead, readDigestFile, treeHeadPayload, type TreeHead, type TreeHeadJson } from './checkpoint';
export { hmacKeyFingerprint, loadPublicKey, publicKeyFingerprint, verifySignature, type PublicKeyInfo, type SignatureAlg } from './keys';
export { EMPTY_ROOT, inclusionPath, leafHash, merkleRoot, nodeHash, rootFromInclusionProof, verifyInclusion } from './merkle';
export { VerifiableLogWriter, buildVerifiableLog, generateSigningKey, signTreeHead, type LogWriterOptions, type MerkleProofJson, type SigningKey } from './sign';
export { GENESIS_HASH, chainRecords, recordHash } from './hashChain';
