// Exports of result sets and evidence bundles: see docs/findings.md.
export { createEvidenceBundle, verifyBundle, BUNDLE_FORMAT, type BundleAttachment, type BundleManifest, type BundleSelection, type EvidenceBundleOptions, type EvidenceBundleResult } from './evidenceBundle';
export { OutputFile, OutputRefusedError, assertSafeOutputPath, sha256File } from './outputFile';
export { readRawRanges } from './rawRecords';
export { EXPORT_FORMATS, csvField, csvLine, exportRows, filterRowSource, parseCsv, queryRowSource, type ExportFormat, type ExportOptions, type ExportResult, type RowSource } from './tabular';
export { crc32, readStoredZip, writeZip } from './zip';
