import { Writable } from "node:stream";

/** A stdout or stderr for a command under test: keeps what was written. */
export class Capture extends Writable {
  text = "";
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString("utf8");
    done();
  }
}
