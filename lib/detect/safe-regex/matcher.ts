import { canonicalTable, LINE_TERMINATOR, WORD } from "./char-set";
import { AssertKind, Op, type Program } from "./program";

/** Longer values are matched on their first this-many code units (docs/RULE-FORMAT.md). */
export const MAX_INPUT = 64 * 1024;

/**
 * Runs a Program over a string by simulating every NFA thread in lock-step (Thompson's algorithm):
 * each instruction is visited at most once per input position, so a test costs at most
 * O(pattern × input) whatever the pattern, and nothing backtracks. The thread lists are allocated
 * once per pattern and reused, so a test allocates nothing; it is not re-entrant, which a
 * synchronous engine never needs.
 */
export class Matcher {
  private readonly current: Int32Array;
  private readonly next: Int32Array;
  private readonly mark: Uint32Array;
  private readonly stack: Int32Array;
  private generation = 0;
  private readonly canon: Uint16Array | undefined;

  constructor(private readonly p: Program) {
    const n = p.op.length;
    this.current = new Int32Array(n);
    this.next = new Int32Array(n);
    this.mark = new Uint32Array(n);
    this.stack = new Int32Array(2 * n + 2);
    this.canon = p.folded ? canonicalTable() : undefined;
  }

  /** True if the pattern matches anywhere in `input` (or its first MAX_INPUT code units). */
  test(input: string): boolean {
    if (this.generation > 0x3fffffff) {
      this.mark.fill(0);
      this.generation = 0;
    }
    const end = Math.min(input.length, MAX_INPUT);
    const { anchored, first } = this.p;
    const canon = this.canon;
    let list = this.current;
    let other = this.next;
    let count = 0;
    let gen = 0;
    for (let pos = 0; ; pos++) {
      if (!anchored || pos === 0) {
        if (count === 0) {
          if (first !== undefined) {
            // Nothing in flight: skip to where a match could begin.
            while (pos < end && !first.has(canon ? canon[input.charCodeAt(pos)] : input.charCodeAt(pos))) pos++;
            if (pos >= end) return false;
          }
          gen = ++this.generation;
        }
        count = this.follow(list, count, 0, pos, input, end, gen);
        if (count < 0) return true;
      }
      if (count === 0) {
        if (anchored || pos >= end) return false;
        continue;
      }
      if (pos >= end) return false;
      const ch = input.charCodeAt(pos);
      const folded = canon ? canon[ch] : ch;
      const nextGen = ++this.generation;
      let nextCount = 0;
      for (let k = 0; k < count; k++) {
        const pc = list[k];
        if (!this.consumes(pc, ch, folded)) continue;
        nextCount = this.follow(other, nextCount, pc + 1, pos + 1, input, end, nextGen);
        if (nextCount < 0) return true;
      }
      const swap = list;
      list = other;
      other = swap;
      count = nextCount;
      gen = nextGen;
    }
  }

  private consumes(pc: number, ch: number, folded: number): boolean {
    const p = this.p;
    switch (p.op[pc]) {
      case Op.Char:
        return ch === p.a[pc];
      case Op.CharFolded:
        return folded === p.a[pc];
      case Op.Set:
        return p.sets[p.a[pc]].has(ch) !== (p.b[pc] === 1);
      case Op.SetFolded:
        return p.sets[p.a[pc]].has(folded) !== (p.b[pc] === 1);
      case Op.Any:
        return true;
      case Op.AnyButNewline:
        return !LINE_TERMINATOR.has(ch);
      default:
        return false;
    }
  }

  /**
   * Adds `start` and everything reachable from it without consuming input (splits, jumps,
   * assertions that hold at `pos`) to `list`. Returns the new count, or -1 when Match is reached.
   */
  private follow(list: Int32Array, count: number, start: number, pos: number, input: string, end: number, gen: number): number {
    const { op, a, b } = this.p;
    const mark = this.mark;
    const stack = this.stack;
    let top = 0;
    stack[top++] = start;
    while (top > 0) {
      const pc = stack[--top];
      if (mark[pc] === gen) continue;
      mark[pc] = gen;
      switch (op[pc]) {
        case Op.Jump:
          stack[top++] = a[pc];
          break;
        case Op.Split:
          stack[top++] = b[pc];
          stack[top++] = a[pc];
          break;
        case Op.Assert:
          if (holds(a[pc], input, pos, end)) stack[top++] = pc + 1;
          break;
        case Op.Match:
          return -1;
        default:
          list[count++] = pc;
      }
    }
    return count;
  }
}

function holds(kind: number, input: string, pos: number, end: number): boolean {
  switch (kind) {
    case AssertKind.Start:
      return pos === 0;
    case AssertKind.End:
      return pos === end;
    case AssertKind.LineStart:
      return pos === 0 || LINE_TERMINATOR.has(input.charCodeAt(pos - 1));
    case AssertKind.LineEnd:
      return pos === end || LINE_TERMINATOR.has(input.charCodeAt(pos));
    case AssertKind.Word:
      return isWordAt(input, pos - 1, end) !== isWordAt(input, pos, end);
    default:
      return isWordAt(input, pos - 1, end) === isWordAt(input, pos, end);
  }
}

function isWordAt(input: string, pos: number, end: number): boolean {
  return pos >= 0 && pos < end && WORD.has(input.charCodeAt(pos));
}
