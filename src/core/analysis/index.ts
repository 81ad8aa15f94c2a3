// Read-only SQL, JSONPath filter and system events over a loaded export: see docs/findings.md.
export { QueryRefusedError, READ_ONLY_PRAGMAS, SQL_COMPLETION_WORDS, checkReadOnlySql, runReadOnly, schemaInfo, type ReadOnlyResult, type SchemaTable } from './queryGuard';
export { JsonPathRefusedError, checkJsonPath, jsonPathFilter, type JsonPathMatch, type JsonPathResult } from './jsonPathFilter';
export { listSystemEvents, type ConfigChange, type DocumentEvent, type AccessOrSecurityEvent, type SystemEvents } from './systemEvents';
export { sourceFilesOf, type SqlTarget } from './storeAccess';
