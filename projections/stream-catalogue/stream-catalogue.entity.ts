import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One row per stream: what kind it is, how far it has gone and when it last changed. */
@Entity('stream_catalogue')
export class StreamCatalogueEntry {
  @PrimaryColumn('text', { name: 'stream_id' })
  streamId!: string;

  @Index('stream_catalogue_category_last', ['category', 'lastRecordedAt'])
  @Column('text')
  category!: string;

  @Column('int')
  version!: number;

  @Column('text', { name: 'last_event_type' })
  lastEventType!: string;

  @Column('timestamptz', { name: 'first_recorded_at' })
  firstRecordedAt!: Date;

  @Column('timestamptz', { name: 'last_recorded_at' })
  lastRecordedAt!: Date;
}
