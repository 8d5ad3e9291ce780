import { EntityManager } from 'typeorm';
import { RecordedEvent } from '../event-store/envelope';
import { EventFilter } from '../event-store/port';

export type ProjectionHandler = (event: RecordedEvent<any>, manager: EntityManager) => Promise<void>;

/**
 * One read model, Marten style: a handler per event type it cares about, writing through the
 * transaction's EntityManager. The runner calls the handlers in global order and commits their
 * changes together with the checkpoint. Table names stay unqualified: a rebuild points the
 * search_path at shadow tables and swaps them in when it has caught up.
 */
export abstract class Projection {
  /** Stable name: the checkpoint key and the CLI's name for it. */
  abstract readonly name: string;
  /** Tables this projection owns and rebuilds. No other code writes to them. */
  abstract readonly tables: readonly string[];
  /** A handler per event type (empty for a projection that overrides `apply` and `eventTypes`). */
  protected abstract readonly handlers: Readonly<Record<string, ProjectionHandler>>;
  /** A saga: its handlers issue commands to the event store instead of writing tables. */
  readonly issuesCommands: boolean = false;

  get filter(): EventFilter {
    return { eventTypes: this.eventTypes };
  }

  /** The event types this projection reads: its handlers' unless it says otherwise. */
  protected get eventTypes(): string[] {
    return Object.keys(this.handlers);
  }

  async apply(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    for (const event of events) await this.handlers[event.type]?.(event, manager);
  }
}
