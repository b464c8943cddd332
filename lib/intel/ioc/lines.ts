/** Longer lines are reported, not read: no IOC needs them and a regex over them costs. */
export const MAX_LINE_LENGTH = 16_384;

/** Calls `each` with every line and its number from 1; CRLF and LF both end a line. */
export function splitLines(text: string, each: (line: string, number: number) => void): void {
  let start = 0;
  let number = 1;
  while (start <= text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const line = text.charCodeAt(end - 1) === 0x0d && end > start ? text.slice(start, end - 1) : text.slice(start, end);
    if (!(end === text.length && line === "" && start === text.length)) each(line, number);
    start = end + 1;
    number++;
  }
}
