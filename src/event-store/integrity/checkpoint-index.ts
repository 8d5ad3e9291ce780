import { Logger } from '@nestjs/common';
import { KeyObject } from 'node:crypto';
import * as fs from 'node:fs';
import { CheckpointRecord, parseCheckpoints, Seals } from './checkpoint-file';

/**
 * The latest seal of every stream, read from the checkpoint file and kept up to date by reading
 * only what was appended since (the leader may be another instance). What the app checks a
 * stream being read against, without reading the whole file again.
 */
export class CheckpointIndex {
  private seals = new Seals(false);
  private offset = 0;
  private last?: CheckpointRecord;
  private problems: string[] = [];
  private checkedAt = 0;
  private readonly logger = new Logger(CheckpointIndex.name);

  constructor(
    readonly file: string,
    private readonly publicKey: KeyObject,
    /** How often (ms) the file is looked at again, at most. */
    private readonly refreshMs = 500,
  ) {}

  current(): { seals: Seals; last?: CheckpointRecord; problems: readonly string[] } {
    if (Date.now() - this.checkedAt >= this.refreshMs) this.refresh();
    return { seals: this.seals, last: this.last, problems: this.problems };
  }

  refresh(): void {
    this.checkedAt = Date.now();
    let size: number;
    try {
      size = fs.statSync(this.file).size;
    } catch {
      size = 0;
    }
    if (size < this.offset) {
      // Shrunk or deleted: the evidence of what was sealed is gone, which itself is news.
      const problem = `checkpoint file shrank from ${this.offset} to ${size} bytes (deleted or truncated)`;
      this.logger.error(`integrity checkpoints (${this.file}): ${problem}`);
      this.reset([problem]);
    }
    if (size === this.offset) return;
    const fd = fs.openSync(this.file, 'r');
    try {
      const buffer = Buffer.alloc(size - this.offset);
      fs.readSync(fd, buffer, 0, buffer.length, this.offset);
      const text = buffer.toString('utf8');
      const complete = text.lastIndexOf('\n') + 1; // a line being written is read next time
      if (!complete) return;
      const parsed = parseCheckpoints(text.slice(0, complete), this.publicKey, this.last ?? { seq: 0, sig: '' });
      for (const record of parsed.records) this.seals.add(record);
      this.last = parsed.records.at(-1) ?? this.last;
      this.problems.push(...parsed.problems);
      for (const p of parsed.problems) this.logger.error(`integrity checkpoints (${this.file}): ${p}`);
      this.offset += Buffer.byteLength(text.slice(0, complete), 'utf8');
    } finally {
      fs.closeSync(fd);
    }
  }

  private reset(problems: string[]): void {
    this.seals = new Seals(false);
    this.offset = 0;
    this.last = undefined;
    this.problems = problems;
  }
}
