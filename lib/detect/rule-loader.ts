import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { RuleError, type Rule, type RuleLoadError } from "./rule";
import { buildRule } from "./rule-builder";
import { linkRules } from "./rule-links";
import { checkRuleShape } from "./rule-schema";
import { readYamlDocuments, type YamlDocument } from "./yaml-loader";

export interface LoadResult {
  rules: Rule[];
  /** Every rule refused, with where and why; the other rules load regardless. */
  errors: RuleLoadError[];
}

export interface LoadOptions {
  /**
   * Rules loaded before (the built-in pack). The new rules' correlations may name them, a new rule
   * with the id of one replaces it, and the result holds both sets.
   */
  base?: readonly Rule[];
}

/** A rule file larger than this is refused unread: rules are small, and this is read at deploy. */
const MAX_FILE_BYTES = 1024 * 1024;
const RULE_FILE = /\.ya?ml$/i;

/** Loads rule files: each path a `.yml`/`.yaml` file or a folder searched recursively. */
export function loadRuleFiles(paths: string | readonly string[], options: LoadOptions = {}): LoadResult {
  const errors: RuleLoadError[] = [];
  const texts: Array<{ file: string; text: string }> = [];
  for (const file of listFiles(typeof paths === "string" ? [paths] : paths, errors)) {
    try {
      if (statSync(file).size > MAX_FILE_BYTES) errors.push({ file, line: 0, reason: `larger than ${MAX_FILE_BYTES} bytes` });
      else texts.push({ file, text: readFileSync(file, "utf8") });
    } catch (err) {
      errors.push({ file, line: 0, reason: `unreadable: ${(err as Error).message}` });
    }
  }
  const result = loadRuleTexts(texts, options);
  return { rules: result.rules, errors: [...errors, ...result.errors] };
}

/** The same from texts in memory; `file` only names them in errors. */
export function loadRuleTexts(texts: ReadonlyArray<{ file: string; text: string }>, options: LoadOptions = {}): LoadResult {
  const errors: RuleLoadError[] = [];
  const loaded: Rule[] = [];
  const docs = new Map<Rule, YamlDocument>();
  const seen = new Map<string, Rule>();
  for (const { file, text } of texts) {
    const yaml = readYamlDocuments(text);
    for (const e of yaml.errors) errors.push({ file, ...e });
    const namesInFile = new Set<string>();
    for (const doc of yaml.documents) {
      const refuse = (e: RuleError) => errors.push(located(file, doc, e));
      const shape = checkRuleShape(doc.value);
      if (shape.length > 0) {
        shape.forEach(refuse);
        continue;
      }
      let rule: Rule;
      try {
        rule = buildRule(doc.value, file, doc.line);
      } catch (err) {
        if (!(err instanceof RuleError)) throw err;
        refuse(err);
        continue;
      }
      const first = seen.get(rule.id);
      if (first) {
        refuse(new RuleError(`duplicate id "${rule.id}" (first in ${first.file}:${first.line})`, ["id"]));
        continue;
      }
      if (rule.name !== undefined && namesInFile.has(rule.name)) {
        refuse(new RuleError(`duplicate name "${rule.name}" in this file`, ["name"]));
        continue;
      }
      if (rule.name !== undefined) namesInFile.add(rule.name);
      seen.set(rule.id, rule);
      docs.set(rule, doc);
      loaded.push(rule);
    }
  }
  const pool = [...(options.base ?? []).filter((r) => !seen.has(r.id)), ...loaded];
  const linked = linkRules(pool);
  for (const { rule, error } of linked.refused) {
    const doc = docs.get(rule);
    errors.push(doc ? located(rule.file, doc, error) : { file: rule.file, line: rule.line, reason: `${rule.id}: ${error.reason}` });
  }
  return { rules: linked.rules, errors };
}

function located(file: string, doc: YamlDocument, e: RuleError): RuleLoadError {
  const id = (doc.value as { id?: unknown } | null)?.id;
  const reason = typeof id === "string" && id !== "" ? `${id}: ${e.reason}` : e.reason;
  return { file, line: doc.lineOf(e.path, e.atKey), reason };
}

function listFiles(paths: readonly string[], errors: RuleLoadError[]): string[] {
  const files: string[] = [];
  const visit = (p: string, top: boolean) => {
    let st;
    try {
      st = statSync(p);
    } catch {
      errors.push({ file: p, line: 0, reason: "no such file or folder" });
      return;
    }
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) if (!name.startsWith(".")) visit(path.join(p, name), false);
    } else if (top || RULE_FILE.test(p)) files.push(p);
  };
  for (const p of paths) visit(p, true);
  return files;
}
