import path from "node:path";
import { readJsonFile, safeFileName, writeJsonFileAtomic } from "../storage/json-file";
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

/** One JSON file per key in a folder, replaced atomically. */
export class FileCheckpointStore implements CheckpointStore {
  constructor(private readonly dir: string) {}

  async load(key: string): Promise<LoadedCheckpoint> {
    const { value, warning } = await readJsonFile(this.file(key));
    if (warning) return { checkpoint: emptyCheckpoint(), warning: `checkpoint ${warning}; starting from the look-back` };
    return { checkpoint: value === undefined ? emptyCheckpoint() : reviveCheckpoint(value), warning: null };
  }

  async save(key: string, checkpoint: Checkpoint): Promise<void> {
    await writeJsonFileAtomic(this.file(key), checkpoint);
  }

  private file(key: string): string {
    return path.join(this.dir, safeFileName(key));
  }
}
