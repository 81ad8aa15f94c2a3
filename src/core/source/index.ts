// From a logged prompt to the code that produced it, and back (no VS Code dependency). See docs/source-locations.md.
export { applicationFrames, isDependencyPath, isInDependencyFolder, parseStackTrace } from './stackTrace';
export type { ParsedStack, StackFrame, StackLanguage } from './stackTrace';
export { buildPathIndex, isWorkspaceEntry, joinRoot, loggedPathSegments, mapPath, relativeSegments } from './pathMapping';
export type { PathCandidate, PathIndex, WorkspaceFolderFiles } from './pathMapping';
export { PROMPT_FILE_EXTENSIONS, extractTemplates, splitPlaceholders, templateLanguageOf, templateText } from './templateExtract';
export type { PromptTemplate, TemplateKind, TemplateLanguage, TemplatePiece } from './templateExtract';
export { buildPromptIndex, collapseWhitespace, matchParts, matchPrompt, scoreMatch } from './promptMatch';
export type { MatchOptions, PromptIndex, PromptIndexFile, PromptIndexOptions, PromptMatch } from './promptMatch';
export { locate, splitPosition, systemText } from './locateEvent';
export type { LocatableEvent, LocateMethod, LocateOptions, LocateResult, LocateStep, LocateWorkspace, SourceCandidate } from './locateEvent';
export {
  aggregateGroups, aggregateUsage, defaultRedact, formatCompact, formatLatency, formatUsageLabel, formatUsd, locationKey, recentPrompts,
} from './promptUsage';
export type { CallFigures, LoggedPrompt, MatchedCall, RecentPromptsOptions, RedactFn, TemplateLocation, TemplateUsage } from './promptUsage';
export { SKIPPED_FOLDERS, listWorkspaceFiles, readPromptFiles } from './workspaceScan';
export type { ScanOptions } from './workspaceScan';
