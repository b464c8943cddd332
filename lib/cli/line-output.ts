import { once } from "node:events";

/**
 * Lines of one input chunk go out in one write, and the next chunk is read only once stdout has
 * taken them: a slow reader (a pager, a pipe to a SIEM shipper) bounds memory instead of growing it.
 * A write error (EPIPE when the reader quits) is kept and ends the run.
 */
export class LineOutput {
  private pending = "";
  failure: Error | undefined;
  private readonly onError = (err: Error) => {
    this.failure ??= err;
  };

  constructor(private readonly stream: NodeJS.WritableStream) {
    stream.on("error", this.onError);
  }

  add(line: string): void {
    this.pending += `${line}\n`;
  }

  async flush(): Promise<void> {
    if (this.pending === "" || this.failure !== undefined) return;
    const text = this.pending;
    this.pending = "";
    if (this.stream.write(text)) return;
    try {
      await once(this.stream, "drain");
    } catch (err) {
      this.failure ??= err as Error;
    }
  }

  close(): void {
    this.stream.off("error", this.onError);
  }
}
