import { canonicalSet, canonicalTable, charSet, complement, union, type CharSet } from "./char-set";
import { RegexSyntaxError, type Assertion, type Flags, type Node } from "./syntax";

export const enum Op {
  Char,
  CharFolded,
  Set,
  SetFolded,
  Any,
  AnyButNewline,
  Split,
  Jump,
  Assert,
  Match,
}

export const enum AssertKind {
  Start,
  End,
  LineStart,
  LineEnd,
  Word,
  NonWord,
}

/**
 * A Thompson NFA as a flat instruction list: `op[i]` with operands `a[i]`, `b[i]`. Character
 * instructions continue at `i + 1`.
 */
export interface Program {
  op: Uint8Array;
  a: Int32Array;
  b: Int32Array;
  sets: CharSet[];
  /** Matches only at position 0: a failed start need not be retried further on. */
  anchored: boolean;
  /** Every match begins with one of these (compare folded when `folded`); undefined: anything. */
  first: CharSet | undefined;
  folded: boolean;
}

/** Past this many instructions a pattern is refused: the memory of a regex grows with it. */
export const MAX_PROGRAM = 20_000;

export function compileProgram(node: Node, flags: Flags): Program {
  const size = sizeOf(node) + 1;
  if (size > MAX_PROGRAM) throw new RegexSyntaxError(`the pattern expands to ${size} instructions, above the limit of ${MAX_PROGRAM}; use smaller {m,n} counts`, 0);
  return new Emitter(size, flags).program(node);
}

function sizeOf(node: Node): number {
  switch (node.t) {
    case "cat":
      return node.items.reduce((n, item) => n + sizeOf(item), 0);
    case "alt":
      return node.items.reduce((n, item) => n + sizeOf(item), 0) + 2 * (node.items.length - 1);
    case "rep": {
      const body = sizeOf(node.node);
      return node.min * body + (node.max === Infinity ? body + 2 : (node.max - node.min) * (body + 1));
    }
    case "empty":
      return 0;
    default:
      return 1;
  }
}

class Emitter {
  private readonly op: Uint8Array;
  private readonly a: Int32Array;
  private readonly b: Int32Array;
  private readonly sets: CharSet[] = [];
  private readonly setIndex = new Map<CharSet, number>();
  private n = 0;

  constructor(
    size: number,
    private readonly flags: Flags,
  ) {
    this.op = new Uint8Array(size);
    this.a = new Int32Array(size);
    this.b = new Int32Array(size);
  }

  program(node: Node): Program {
    this.emit(node);
    this.put(Op.Match, 0, 0);
    const head = node.t === "cat" ? node.items[0] : node;
    const anchored = head.t === "assert" && head.kind === "start" && !this.flags.m;
    const start = firstChars(node);
    const first = start.nullable || start.set === undefined ? undefined : this.flags.i ? canonicalSet(start.set) : start.set;
    return { op: this.op, a: this.a, b: this.b, sets: this.sets, anchored, first, folded: this.flags.i };
  }

  private emit(node: Node): void {
    switch (node.t) {
      case "char":
        if (this.flags.i) this.put(Op.CharFolded, canonicalTable()[node.c], 0);
        else this.put(Op.Char, node.c, 0);
        return;
      case "any":
        this.put(this.flags.s ? Op.Any : Op.AnyButNewline, 0, 0);
        return;
      case "set":
        if (this.flags.i) this.put(Op.SetFolded, this.set(canonicalSet(node.set)), node.negated ? 1 : 0);
        else this.put(Op.Set, this.set(node.set), node.negated ? 1 : 0);
        return;
      case "assert":
        this.put(Op.Assert, this.assertKind(node.kind), 0);
        return;
      case "empty":
        return;
      case "cat":
        for (const item of node.items) this.emit(item);
        return;
      case "alt":
        return this.alternation(node.items);
      case "rep":
        return this.repetition(node.node, node.min, node.max);
    }
  }

  private alternation(items: readonly Node[]): void {
    const jumps: number[] = [];
    for (let k = 0; k < items.length - 1; k++) {
      const split = this.put(Op.Split, this.n + 1, 0);
      this.emit(items[k]);
      jumps.push(this.put(Op.Jump, 0, 0));
      this.b[split] = this.n;
    }
    this.emit(items[items.length - 1]);
    for (const j of jumps) this.a[j] = this.n;
  }

  private repetition(body: Node, min: number, max: number): void {
    for (let k = 0; k < min; k++) this.emit(body);
    if (max === Infinity) {
      const split = this.put(Op.Split, this.n + 1, 0);
      this.emit(body);
      this.put(Op.Jump, split, 0);
      this.b[split] = this.n;
      return;
    }
    // x{0,k} as x(x(x)?)?)?: one exit for every optional copy, so the size stays linear in k.
    const splits: number[] = [];
    for (let k = min; k < max; k++) {
      splits.push(this.put(Op.Split, this.n + 1, 0));
      this.emit(body);
    }
    for (const s of splits) this.b[s] = this.n;
  }

  private assertKind(kind: Assertion): AssertKind {
    switch (kind) {
      case "start":
        return this.flags.m ? AssertKind.LineStart : AssertKind.Start;
      case "end":
        return this.flags.m ? AssertKind.LineEnd : AssertKind.End;
      case "word":
        return AssertKind.Word;
      case "nonword":
        return AssertKind.NonWord;
    }
  }

  private set(set: CharSet): number {
    let index = this.setIndex.get(set);
    if (index === undefined) {
      index = this.sets.push(set) - 1;
      this.setIndex.set(set, index);
    }
    return index;
  }

  private put(op: Op, a: number, b: number): number {
    const at = this.n++;
    this.op[at] = op;
    this.a[at] = a;
    this.b[at] = b;
    return at;
  }
}

interface First {
  /** Characters a match can begin with; undefined: any. */
  set: CharSet | undefined;
  /** The node can match without consuming a character. */
  nullable: boolean;
}

const NOTHING = charSet([]);

function firstChars(node: Node): First {
  switch (node.t) {
    case "char":
      return { set: charSet([node.c, node.c]), nullable: false };
    case "set":
      return { set: node.negated ? complement(node.set) : node.set, nullable: false };
    case "any":
      return { set: undefined, nullable: false };
    case "assert":
    case "empty":
      return { set: NOTHING, nullable: true };
    case "rep": {
      const inner = firstChars(node.node);
      return { set: inner.set, nullable: inner.nullable || node.min === 0 };
    }
    case "cat": {
      let acc: CharSet | undefined = NOTHING;
      for (const item of node.items) {
        const f = firstChars(item);
        acc = acc && f.set ? union([acc, f.set]) : undefined;
        if (!f.nullable) return { set: acc, nullable: false };
      }
      return { set: acc, nullable: true };
    }
    case "alt": {
      let acc: CharSet | undefined = NOTHING;
      let nullable = false;
      for (const item of node.items) {
        const f = firstChars(item);
        acc = acc && f.set ? union([acc, f.set]) : undefined;
        nullable ||= f.nullable;
      }
      return { set: acc, nullable };
    }
  }
}
