import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Node as YamlNode } from "yaml";

export type YamlPath = ReadonlyArray<string | number>;

export interface YamlDocument {
  /** The document as plain data. */
  value: unknown;
  /** Line where the document's content starts. */
  line: number;
  /**
   * Line of what `path` names: the value, or with `key` the key it sits under. A path that does not
   * exist (a missing required field) gives the line of the nearest part that does.
   */
  lineOf(path: YamlPath, key?: boolean): number;
}

export interface YamlProblem {
  line: number;
  reason: string;
}

export interface YamlFile {
  documents: YamlDocument[];
  /** Documents with a syntax error are left out of `documents` and reported here. */
  errors: YamlProblem[];
}

/** Aliases expanded past this count mean a "billion laughs" file, refused rather than expanded. */
const MAX_ALIASES = 1000;

/** Reads every document of a (possibly multi-document) YAML text, keeping line numbers. */
export function readYamlDocuments(text: string): YamlFile {
  const counter = new LineCounter();
  const lineAt = (offset: number) => counter.linePos(offset).line;
  const documents: YamlDocument[] = [];
  const errors: YamlProblem[] = [];
  for (const doc of parseAllDocuments(text, { lineCounter: counter, uniqueKeys: true })) {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) errors.push({ line: e.linePos?.[0].line ?? lineAt(e.pos[0]), reason: `YAML: ${firstLine(e.message)}` });
      continue;
    }
    if (doc.contents === null) continue; // an empty document, e.g. after a trailing `---`
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIASES });
    } catch (err) {
      errors.push({ line: lineAt(doc.contents.range?.[0] ?? 0), reason: `YAML: ${firstLine((err as Error).message)}` });
      continue;
    }
    const root = doc.contents as YamlNode;
    documents.push({
      value,
      line: lineAt(root.range?.[0] ?? 0),
      lineOf: (path, key = false) => lineAt(locate(root, path, key)),
    });
  }
  return { documents, errors };
}

/** Offset of the node at `path`, or of the deepest ancestor that exists. */
function locate(root: YamlNode, path: YamlPath, key: boolean): number {
  let node: unknown = root;
  let offset = root.range?.[0] ?? 0;
  for (let i = 0; i < path.length; i++) {
    const step = path[i];
    let child: unknown;
    let keyNode: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(step));
      child = pair?.value;
      keyNode = pair?.key;
    } else if (isSeq(node) && typeof step === "number") {
      child = node.items[step];
    }
    const target = key && i === path.length - 1 && keyNode !== undefined ? keyNode : child;
    const range = (target as YamlNode | undefined)?.range;
    if (!range) return offset;
    offset = range[0];
    node = child;
  }
  return offset;
}

/** yaml's messages carry a code excerpt after the first line; the line number says where. */
function firstLine(message: string): string {
  return message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
}
