import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { loadBuiltinRules, ruleCatalog } from "../lib/detect";
import { renderRulesDoc } from "../lib/detect/rules-doc";

/**
 * What the Node-RED Flow Library scorecard checks (it needs the network, so CI cannot run it), and
 * what every node must ship with, checked over the files themselves.
 */
const root = path.resolve(__dirname, "..");
const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
const read = (...p: string[]) => readFileSync(path.join(root, ...p), "utf8");

function exampleTypes(): Set<string> {
  const types = new Set<string>();
  for (const file of readdirSync(path.join(root, "examples"), { recursive: true }) as string[]) {
    if (!file.endsWith(".json")) continue;
    for (const n of JSON.parse(read("examples", file))) types.add(n.type);
  }
  return types;
}

describe("package", () => {
  it("passes the scorecard's package checks", () => {
    assert.match(pkg.name, /^node-red-contrib-/);
    assert.equal(pkg.license, "Apache-2.0");
    assert.ok(existsSync(path.join(root, "LICENSE")));
    assert.ok(pkg.repository?.url);
    assert.ok(pkg.keywords.includes("node-red"));
    assert.equal(pkg["node-red"].version, ">=4.0.0");
    assert.equal(pkg.engines.node, ">=20");
    assert.ok(Object.keys(pkg.dependencies ?? {}).length <= 6, "at most six runtime dependencies");
    assert.equal(pkg.bin.ztna, "dist/lib/cli/main.js");
  });

  const nodes = Object.entries(pkg["node-red"].nodes as Record<string, string>);
  const examples = exampleTypes();
  for (const [type, file] of nodes) {
    describe(type, () => {
      const html = read("nodes", type, `${type}.html`);
      const isConfig = /category: "config"/.test(html);
      it("is built where package.json points, with its editor files beside it", () => {
        assert.equal(file, `dist/nodes/${type}/${type}.js`);
        for (const f of [`${type}.js`, `${type}.html`, `locales/en-US/${type}.json`, `locales/en-US/${type}.html`]) {
          assert.ok(existsSync(path.join(root, "dist", "nodes", type, f)), `dist/nodes/${type}/${f}`);
        }
      });
      it("registers with literal definitions the scorecard can read, in our category or as a config node", () => {
        assert.match(html, new RegExp(`RED\\.nodes\\.registerType\\("${type}", \\{`));
        assert.match(html, /category: "(cloudflare ztna|config)"/);
        assert.match(html, /validate:/, "the dialog validates its fields");
      });
      it("has help with its details and labels for every dialog field", () => {
        const help = read("nodes", type, "locales", "en-US", `${type}.html`);
        assert.match(help, new RegExp(`data-help-name="${type}"`));
        assert.match(help, /<h3>Details<\/h3>/);
        if (!isConfig) assert.match(help, /<h3>(Inputs|Outputs)<\/h3>/);
        const labels = JSON.parse(read("nodes", type, "locales", "en-US", `${type}.json`))[type];
        for (const key of html.matchAll(new RegExp(`data-i18n="(?:\\[placeholder\\])?${type}\\.([a-zA-Z_.]+)"`, "g"))) {
          const value = key[1].split(".").reduce((o: Record<string, unknown> | undefined, k) => o?.[k] as never, labels);
          assert.equal(typeof value, "string", `label ${key[1]}`);
        }
      });
      if (isConfig) return;
      it("has an icon that exists", () => {
        const icon = /icon: "([^"]+)"/.exec(html)?.[1];
        assert.ok(icon && existsSync(path.join(root, "icons", icon)), `icon ${icon}`);
        assert.ok(existsSync(path.join(root, "dist", "nodes", type, "icons", icon!)));
      });
      it("is used in an example flow", () => {
        assert.ok(examples.has(type), `no example under examples/ uses ${type}`);
      });
    });
  }

  it("has docs/RULES.md generated from the current rule pack (npm run build:docs)", () => {
    const { rules, errors } = loadBuiltinRules();
    assert.deepEqual(errors, []);
    assert.equal(read("docs", "RULES.md"), renderRulesDoc(ruleCatalog(rules)));
  });

  it("has flows/ generated from the current examples", () => {
    execFileSync(process.execPath, [path.join(root, "scripts", "build-flows.js"), "--check"], { stdio: "pipe" });
  });
});
