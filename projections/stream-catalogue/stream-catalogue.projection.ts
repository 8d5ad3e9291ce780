import { EntityManager } from 'typeorm';
import { RecordedEvent, streamCategory } from '../../src/event-store/envelope';
import { EventFilter } from '../../src/event-store/port';
import { Projection, ProjectionHandler } from '../../src/projection-runner/projection';
import { StreamCatalogueEntry } from './stream-catalogue.entity';

/**
 * The catalogue of streams, for operations and auditors: which streams of a category exist and
 * when each last changed. It reads every event; a batch becomes one upsert per stream.
 */
export class StreamCatalogueProjection extends Projection {
  readonly name = 'stream-catalogue';
  readonly tables = ['stream_catalogue'];
  protected readonly handlers: Record<string, ProjectionHandler> = {};

  override get filter(): EventFilter {
    return {};
  }

  override async apply(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    const latest = new Map<string, { first: RecordedEvent; last: RecordedEvent }>();
    for (const e of events) {
      const seen = latest.get(e.streamId);
      latest.set(e.streamId, { first: seen?.first ?? e, last: e });
    }
    const rows = [...latest.values()].map(({ first, last }) => ({
      streamId: last.streamId,
      category: streamCategory(last.streamId),
      version: last.streamVersion,
      lastEventType: last.type,
      firstRecordedAt: new Date(first.metadata.recordedAt),
      lastRecordedAt: new Date(last.metadata.recordedAt),
    }));
    // first_recorded_at keeps the value from the stream's first batch.
    await manager
      .createQueryBuilder()
      .insert()
      .into(StreamCatalogueEntry)
      .values(rows)
      .orUpdate(['version', 'last_event_type', 'last_recorded_at'], ['stream_id'])
      .execute();
  }
}
