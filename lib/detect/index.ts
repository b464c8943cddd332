/**
 * The detection engine: Sigma rules and correlations over normalized events (docs/RULE-FORMAT.md).
 * Knows nothing of Node-RED; the ztna-detect node and `ztna detect` / `ztna rules` are adapters.
 *
 * Loading (a bad rule is refused with file, line and reason; the other rules still load):
 *   loadRuleFiles(paths: string | string[], options?: { base?: Rule[] }): { rules: Rule[]; errors: RuleLoadError[] }
 *     Files, or folders searched recursively for .yml/.yaml. With `base` (the built-in rules) the
 *     new rules may correlate base rules and replace them by id, and `rules` holds both sets.
 *   loadRuleTexts(texts: Array<{ file: string; text: string }>, options?): the same from memory.
 *   loadBuiltinRules(): { rules, errors }       lib/rules/**, read once per process
 *   RuleLoadError: { file, line, reason }       line 0: the file as a whole
 *
 * Running:
 *   new DetectionEngine({ rules, overrides?, includeOptin?, minSeverity?, limits?, state?, now? })
 *     overrides: { [ruleId]: { enabled?: boolean; thresholds?: { "correlation.condition.gte": 20,
 *       "correlation.timespan": "15m", "correlation.learning": "7d", "suppress.for": "2h" } } }
 *       A bad threshold throws OverrideError listing every problem; an unknown rule id is only
 *       a warning (`engine.warnings`).
 *     limits: { maxGroups = 10000, maxValuesPerGroup = 1000, latenessMs = 5 min, maxEventsPerAlert = 10 }
 *     state: any StateStore (default: the bounded MemoryStateStore)
 *     now: () => epoch ms; only keeps timestamps from the future from moving event time along
 *   engine.process(events: NormalizedEvent[]): Alert[]        synchronous, one batch
 *   engine.stats(): EngineStats     { events, alerts, suppressed, late, evictions, groups, rules: { active, total }, perRule }
 *   engine.snapshot(): unknown      JSON-serialisable correlation and suppression state
 *   engine.restore(snapshot: unknown): { restored: true; groups } | { restored: false; reason }
 *     Garbage leaves the engine empty, as a fresh start, and says why.
 *
 * Rule tooling:
 *   runRuleTests(rule: Rule): { rule, passed, cases: [{ name, expected, actual, passed, error? }] }
 *   ruleCatalog(rules: Rule[]): CatalogEntry[]     the rules that alert, with their overridable thresholds
 */
export type { Alert, EvidenceKind } from "./alert-builder";
export { builtinRulesDir, loadBuiltinRules } from "./builtin";
export { DEFAULT_ENGINE_LIMITS, DetectionEngine, type EngineLimits, type EngineOptions, type EngineRestoreReport, type EngineStats, type RuleStats } from "./engine";
export { OverrideError, type RuleOverride } from "./overrides";
export { SEVERITIES, type CorrelationRule, type DetectionRule, type Rule, type RuleLoadError, type Severity } from "./rule";
export { ruleCatalog, type CatalogEntry } from "./rule-catalog";
export { loadRuleFiles, loadRuleTexts, type LoadOptions, type LoadResult } from "./rule-loader";
export { runRuleTests, type RuleTestCaseResult, type RuleTestResult } from "./rule-tests";
export { MemoryStateStore, type GroupState, type StateLimits, type StateStore, type StoredEvent } from "./state-store";
