const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

/**
 * Tells a gzip stream by its first two bytes (Content-Type and file names are not to be trusted),
 * reading only as far as needed, and hands back the whole stream with those bytes put back.
 */
export async function sniffGzip(source: AsyncIterable<Buffer>): Promise<{ gzip: boolean; bytes: AsyncIterable<Buffer> }> {
  const iterator = source[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headBytes = 0;
  let ended = false;
  while (headBytes < 2) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    head.push(next.value);
    headBytes += next.value.length;
  }
  const start = Buffer.concat(head, headBytes);
  const gzip = start.length >= 2 && start[0] === GZIP_MAGIC_0 && start[1] === GZIP_MAGIC_1;
  async function* bytes(): AsyncGenerator<Buffer> {
    if (start.length > 0) yield start;
    if (ended) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { gzip, bytes: bytes() };
}
