import { Inject } from '@nestjs/common';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, Option } from 'nest-commander';
import { CliCommand } from './cli-command';
import { verifyEventStore } from '../event-store/verify';
import { EVENT_STORE, EventStore } from '../event-store/port';
import { readCheckpointFile } from '../event-store/integrity/checkpoint-file';
import { CheckpointIndex } from '../event-store/integrity/checkpoint-index';
import { CheckpointWriter } from '../event-store/integrity/checkpoint-writer';
import { INTEGRITY_KEYS } from '../event-store/integrity/integrity.module';
import { IntegrityKeys, parsePublicKey, publicKeyPem } from '../event-store/integrity/keys';
import { progressBar, speed } from './progress';

interface VerifyOptions {
  stream?: string[];
  checkpoints?: string;
  publicKey?: string;
}

@Command({
  name: 'events:verify',
  description:
    'Check every stream (or the given ones): hash chain, MACs and signed checkpoints; name every broken stream. ' +
    'An external auditor passes --checkpoints and --public-key (MACs then stay unchecked: they need the key)',
})
export class EventsVerifyCommand extends CliCommand {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(INTEGRITY_KEYS) private readonly keys: IntegrityKeys,
    private readonly index: CheckpointIndex,
  ) {
    super();
  }

  protected async execute(_args: string[], options: VerifyOptions): Promise<void> {
    const auditor = options.publicKey !== undefined;
    const publicKey = auditor ? parsePublicKey(fs.readFileSync(options.publicKey!, 'utf8')) : this.keys.publicKey;
    const checkpoints = readCheckpointFile(options.checkpoints ?? this.index.file, publicKey);
    const bar = progressBar('events');
    const startedAt = Date.now();
    const total = await this.store.countAfter({ commit: 0n, prepare: 0n });
    bar.start(Math.max(total, 1), 0, { phase: 'verifying', speed: 0 });
    const result = await verifyEventStore(this.store, {
      streamIds: options.stream,
      checkpoints,
      skipMacs: auditor,
      onProgress: (done) => bar.update(done, { phase: 'verifying', speed: speed(done, startedAt) }),
    });
    bar.stop();
    process.stdout.write(`${result.message}\n`);
    if (!result.ok) process.exitCode = 2;
  }

  @Option({ flags: '-s, --stream <streamId>', description: 'Check only this stream (repeatable)' })
  parseStream(value: string, previous: string[] = []): string[] {
    return [...previous, value];
  }

  @Option({ flags: '--checkpoints <file>', description: 'Signed checkpoint file (default: the app’s own)' })
  parseCheckpoints(value: string): string {
    return value;
  }

  @Option({ flags: '--public-key <file>', description: 'Checkpoint public key (PEM) of the exporting installation' })
  parsePublicKey(value: string): string {
    return value;
  }
}

@Command({
  name: 'events:checkpoints',
  description:
    'Export the signed checkpoints and their public key for an external auditor (--out DIR); --seal first seals what is not yet sealed',
})
export class EventsCheckpointsCommand extends CliCommand {
  constructor(
    @Inject(INTEGRITY_KEYS) private readonly keys: IntegrityKeys,
    private readonly index: CheckpointIndex,
    private readonly writer: CheckpointWriter,
  ) {
    super();
  }

  protected async execute(_args: string[], options: { out?: string; seal?: boolean }): Promise<void> {
    if (options.seal) {
      const sealed = await this.writer.sealNow();
      await this.writer.stop();
      process.stdout.write(
        sealed
          ? `${sealed.length} checkpoint(s) written to ${this.index.file}\n`
          : 'another instance holds the checkpoint lease: it seals, this command did not\n',
      );
    }
    if (!options.out) return;
    fs.mkdirSync(options.out, { recursive: true });
    const file = path.join(options.out, 'checkpoints.jsonl');
    fs.writeFileSync(file, fs.existsSync(this.index.file) ? fs.readFileSync(this.index.file) : '');
    fs.writeFileSync(path.join(options.out, 'public-key.pem'), publicKeyPem(this.keys.publicKey));
    process.stdout.write(`exported ${file} and public-key.pem\n`);
  }

  @Option({ flags: '--out <dir>', description: 'Directory to write checkpoints.jsonl and public-key.pem to' })
  parseOut(value: string): string {
    return value;
  }

  @Option({ flags: '--seal', description: 'Seal the events not yet checkpointed before exporting' })
  parseSeal(): boolean {
    return true;
  }
}
