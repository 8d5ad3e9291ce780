import { Observable } from 'rxjs';
import { RecordedEvent } from './envelope';
import { EventStore, SubscribeOptions } from './port';

const FIRST_RETRY_MS = 5;
/** Consecutive failed reads (connection lost, server restarting) before the subscription errors. */
const MAX_FAILED_READS = 30;

/**
 * A subscription built on batched reads: catch up from `from`, then wait for a wake-up (an
 * append here or a notification from another instance) or the poll interval, and read again.
 * When a wake-up shows nothing new (the new events wait behind an older open transaction),
 * it retries soon with a growing delay, so the lag stays short without busy polling. A failed
 * read (the database restarting) is retried from the same position before giving up.
 */
export function pollingSubscription(
  store: Pick<EventStore, 'readAll'>,
  wake$: Observable<void>,
  options: SubscribeOptions,
  pollIntervalMs: number,
): Observable<RecordedEvent> {
  return new Observable<RecordedEvent>((subscriber) => {
    let position = options.from;
    let stopped = false;
    let woken = false;
    let onWake: (() => void) | undefined;
    const wakeSub = wake$.subscribe(() => {
      woken = true;
      onWake?.();
    });
    const sleep = (ms: number): Promise<void> =>
      new Promise((resolve) => {
        if (woken || stopped) return resolve();
        const timer = setTimeout(done, ms);
        function done(): void {
          clearTimeout(timer);
          onWake = undefined;
          resolve();
        }
        onWake = done;
      });

    void (async () => {
      let retryMs = FIRST_RETRY_MS;
      let failedReads = 0;
      while (!stopped) {
        const wokenBeforeRead = woken;
        woken = false;
        let batch: Awaited<ReturnType<typeof store.readAll>>;
        try {
          batch = await store.readAll({ from: position, filter: options.filter });
          failedReads = 0;
        } catch (err) {
          if (++failedReads >= MAX_FAILED_READS) throw err;
          await sleep(Math.min(pollIntervalMs * failedReads, 5000));
          continue;
        }
        for (const event of batch.events) {
          if (stopped) return;
          subscriber.next(event);
        }
        position = batch.position;
        if (!batch.isEnd) continue;
        if (wokenBeforeRead && batch.events.length === 0) {
          await sleep(retryMs);
          retryMs = Math.min(retryMs * 2, pollIntervalMs);
        } else {
          retryMs = FIRST_RETRY_MS;
          await sleep(pollIntervalMs);
        }
      }
    })().catch((err) => {
      if (!stopped) subscriber.error(err);
    });

    return () => {
      stopped = true;
      wakeSub.unsubscribe();
      onWake?.();
    };
  });
}
