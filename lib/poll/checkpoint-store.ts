import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { emptyCheckpoint, reviveCheckpoint, type Checkpoint } from "./checkpoint";

export interface LoadedCheckpoint {
  checkpoint: Checkpoint;
  /** Set when a stored checkpoint could not be read and polling starts afresh. */
  warning: string | null;
}

/** Where checkpoints live. A file per key by default; anything with the same two methods will do. */
export interface CheckpointStore {
  load(key: string): Promise<LoadedCheckpoint>;
  save(key: string, checkpoint: Checkpoint): Promise<void>;
}

/**
 * One JSON file per key in a folder. Writes go to a temporary file renamed over the old one, so a
 * crash mid-write leaves the previous checkpoint, never half of one.
 */
export class FileCheckpointStore implements CheckpointStore {
  constructor(private readonly dir: string) {}

  async load(key: string): Promise<LoadedCheckpoint> {
    let text: string;
    try {
      text = await readFile(this.file(key), "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return { checkpoint: emptyCheckpoint(), warning: null };
      throw err;
    }
    try {
      return { checkpoint: reviveCheckpoint(JSON.parse(text)), warning: null };
    } catch (err) {
      return { checkpoint: emptyCheckpoint(), warning: `checkpoint ${this.file(key)} is unreadable (${(err as Error).message}); starting from the look-back` };
    }
  }

  async save(key: string, checkpoint: Checkpoint): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const file = this.file(key);
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(checkpoint));
    await rename(tmp, file);
  }

  private file(key: string): string {
    return path.join(this.dir, `${key.replace(/[^A-Za-z0-9_.-]/g, "_")}.json`);
  }
}
