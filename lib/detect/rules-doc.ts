import type { CatalogEntry } from ".";

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\s+/g, " ").trim();

/** docs/RULES.md: the built-in catalog as Markdown, generated so that it can never drift. */
export function renderRulesDoc(catalog: readonly CatalogEntry[]): string {
  const bySource = new Map<string, number>();
  for (const r of catalog) {
    const key = r.sources.length === 1 ? r.sources[0] : "cross-source";
    bySource.set(key, (bySource.get(key) ?? 0) + 1);
  }
  const lines = [
    "# Detection rules",
    "",
    "Generated from `lib/rules/` by `npm run build:docs`; a test fails when it is out of date.",
    "The rule format is in [RULE-FORMAT.md](RULE-FORMAT.md).",
    "",
    `${catalog.length} rules: ${[...bySource].sort().map(([s, n]) => `${s} ${n}`).join(", ")}; ${catalog.filter((r) => r.optin).length} opt-in.`,
    "",
    "| id | title | source | severity | ATT&CK | opt-in | did you expect this? |",
    "|---|---|---|---|---|---|---|",
    ...[...catalog]
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((r) => `| \`${r.id}\` | ${cell(r.title)} | ${r.sources.join(", ")} | ${r.severity} | ${r.mitre.join(", ")} | ${r.optin ? "yes" : ""} | ${cell(r.duet ?? "")} |`),
    "",
  ];
  return lines.join("\n");
}
