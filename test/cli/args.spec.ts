import assert from "node:assert/strict";
import { numeric, parseArgs, UsageError, type FlagSpec } from "../../lib/cli/args";

const SPEC: FlagSpec = { flags: { url: "string", batch: "string", help: "boolean" }, short: { h: "help" } };

describe("parseArgs", function () {
  it("reads --name value, --name=value, booleans, short aliases and positionals in order", function () {
    const parsed = parseArgs(["a", "--url", "http://x", "-", "--batch=5", "-h", "b"], SPEC);
    assert.deepEqual([...parsed.strings], [["url", "http://x"], ["batch", "5"]]);
    assert.deepEqual([...parsed.booleans], ["help"]);
    assert.deepEqual(parsed.positionals, ["a", "-", "b"]);
  });

  it("keeps an = inside a value and allows an empty one", function () {
    const parsed = parseArgs(["--url=http://x/?a=b", "--batch="], SPEC);
    assert.equal(parsed.strings.get("url"), "http://x/?a=b");
    assert.equal(parsed.strings.get("batch"), "");
  });

  it("takes everything after -- as positionals", function () {
    const parsed = parseArgs(["--url", "u", "--", "--batch", "-h"], SPEC);
    assert.deepEqual(parsed.positionals, ["--batch", "-h"]);
    assert.equal(parsed.strings.has("batch"), false);
  });

  it("takes a value starting with a single dash, not one starting with two", function () {
    assert.equal(parseArgs(["--batch", "-3"], SPEC).strings.get("batch"), "-3");
    assert.throws(() => parseArgs(["--url", "--batch", "3"], SPEC), { name: "UsageError", message: "--url needs a value" });
  });

  const mistakes: Array<[string[], string]> = [
    [["--nope"], "unknown option --nope"],
    [["-x"], "unknown option -x"],
    [["--toString"], "unknown option --toString"],
    [["--url"], "--url needs a value"],
    [["--help=yes"], "--help takes no value"],
    [["--url", "a", "--url=b"], "--url given more than once"],
    [["-h", "--help"], "--help given more than once"],
  ];
  for (const [argv, message] of mistakes) {
    it(`refuses ${argv.join(" ")}: ${message}`, function () {
      assert.throws(() => parseArgs(argv, SPEC), (err: unknown) => err instanceof UsageError && err.message === message);
    });
  }
});

describe("numeric", function () {
  it("reads decimals, floats and exponents", function () {
    assert.equal(numeric("--rate", "2.5"), 2.5);
    assert.equal(numeric("--batch", "1e3"), 1000);
    assert.equal(numeric("--retries", "-1"), -1);
  });

  for (const bad of ["", " ", "abc", "12x", "Infinity", "NaN"]) {
    it(`refuses "${bad}"`, function () {
      assert.throws(() => numeric("--batch", bad), { name: "UsageError", message: `--batch expects a number, got "${bad}"` });
    });
  }
});
