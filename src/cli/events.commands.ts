import { Inject } from '@nestjs/common';
import { Command, Option } from 'nest-commander';
import { CliCommand } from './cli-command';
import { verifyEventStore } from '../event-store/verify';
import { EVENT_STORE, EventStore } from '../event-store/port';
import { progressBar, speed } from './progress';

@Command({
  name: 'events:verify',
  description: 'Recompute the hash chain of every stream (or the given ones) and name the first broken link',
})
export class EventsVerifyCommand extends CliCommand {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {
    super();
  }

  protected async execute(_args: string[], options: { stream?: string[] }): Promise<void> {
    const bar = progressBar('events');
    const startedAt = Date.now();
    const total = await this.store.countAfter({ commit: 0n, prepare: 0n });
    bar.start(Math.max(total, 1), 0, { phase: 'verifying', speed: 0 });
    const result = await verifyEventStore(this.store, {
      streamIds: options.stream,
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
}
