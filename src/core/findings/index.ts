// Findings over a loaded export: see docs/findings.md.
export { runFindings, summarizeFindings, type FindingsSummary } from './runFindings';
export { INJECTION_PATTERNS, SECRET_PATTERNS, scanInjection, scanSecrets, type PatternHit, type SecretHit, type TextPattern } from './patterns';
export { median, robustScale, robustScore } from './stats';
export * from './types';
