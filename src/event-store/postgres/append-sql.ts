import { EncodedEvent } from '../codec';
import { ExpectedVersion } from '../port';

/** One stream's share of an append statement, its events already encoded. */
export interface EncodedAppend {
  readonly streamId: string;
  readonly expectedVersion: ExpectedVersion;
  readonly events: readonly EncodedEvent[];
}

/** Per append of a statement: accepted (with its result) or rejected (with the actual version). */
export interface AppendOutcome {
  readonly accepted: boolean;
  readonly actualVersion: number;
  readonly streamVersion?: number;
  readonly txOrder?: string;
  readonly globalPosition?: string;
}

/**
 * Appends to several streams in one statement (one round trip, one plan, one transaction):
 * per append, the stream's current version is compared with the expected one; accepted appends
 * are hash-chained (recursive CTE) onto the stream's last event and inserted, rejected ones
 * are reported with the actual version. The primary key (stream_id, stream_version) stays the
 * final guard against a writer on another connection: then the statement fails as a whole with
 * a unique violation and the caller retries the appends one by one.
 *
 * Parameters are per event: append number, stream, expected version (-1 = any), event fields, and the
 * event's MAC (computed by the app with a key the database never sees; docs/adr/0002).
 * (The recorded time is also in the hashed metadata; the column is there to query by.)
 */
export const APPEND_SQL = `
with recursive
input as (
  select t.a, t.stream_id, t.expected, t.event_id, t.type, t.schema_version, t.data, t.metadata, t.recorded_at, t.mac,
         row_number() over (partition by t.a order by t.ord) as n
  from unnest($1::int[], $2::text[], $3::bigint[], $4::uuid[], $5::text[], $6::int[], $7::text[], $8::text[],
              $9::timestamptz[], $10::text[])
       with ordinality as t(a, stream_id, expected, event_id, type, schema_version, data, metadata, recorded_at, mac, ord)),
appends as (
  select distinct on (i.a) i.a, i.stream_id, i.expected,
         coalesce((select max(e.stream_version) from es_events e where e.stream_id = i.stream_id), 0) as actual
  from input i order by i.a),
accepted as (
  select p.a, p.actual as base,
         case when p.actual = 0 then ''
              else (select e.hash from es_events e where e.stream_id = p.stream_id and e.stream_version = p.actual) end as prev
  from appends p where p.expected < 0 or p.expected = p.actual),
chain as (
  select c.a, 0::bigint as n, c.prev as hash from accepted c
  union all
  select i.a, i.n, es_link_hash(ch.hash, i.stream_id, ac.base + i.n, i.event_id, i.type, i.schema_version, i.data, i.metadata)
  from chain ch join input i on i.a = ch.a and i.n = ch.n + 1 join accepted ac on ac.a = i.a),
inserted as (
  insert into es_events (stream_id, stream_version, tx_order, category, event_id, type, schema_version, data,
                         metadata, recorded_at, hash, mac)
  select i.stream_id, ac.base + i.n, pg_current_xact_id()::text::bigint + (select s.xid_offset from es_settings s),
         split_part(i.stream_id, '-', 1), i.event_id, i.type, i.schema_version, i.data, i.metadata, i.recorded_at, ch.hash,
         i.mac
  from input i join accepted ac on ac.a = i.a join chain ch on ch.a = i.a and ch.n = i.n
  order by i.a, i.n
  returning es_events.stream_id, es_events.stream_version, es_events.tx_order, es_events.global_position)
select p.a, p.actual, ac.a is not null as accepted, x.stream_version, x.tx_order, x.global_position
from appends p
left join accepted ac on ac.a = p.a
left join lateral (select max(i.stream_version) as stream_version, max(i.tx_order) as tx_order,
                          max(i.global_position) as global_position
                   from inserted i where i.stream_id = p.stream_id) x on true
order by p.a`;

export function appendParams(appends: readonly EncodedAppend[]): unknown[][] {
  const cols: unknown[][] = [[], [], [], [], [], [], [], [], [], []];
  appends.forEach((a, index) => {
    const expected = a.expectedVersion === 'any' ? -1 : a.expectedVersion === 'no_stream' ? 0 : a.expectedVersion;
    for (const e of a.events) {
      [
        index + 1,
        a.streamId,
        expected,
        e.eventId,
        e.type,
        e.schemaVersion,
        e.dataJson,
        e.metadataJson,
        e.recordedAt,
        e.mac ?? null,
      ].forEach((v, c) => cols[c].push(v));
    }
  });
  return cols;
}

export function toOutcomes(
  rows: {
    a: number;
    actual: string;
    accepted: boolean;
    stream_version: string | null;
    tx_order: string | null;
    global_position: string | null;
  }[],
): AppendOutcome[] {
  return rows.map((r) => ({
    accepted: r.accepted,
    actualVersion: Number(r.actual),
    streamVersion: r.stream_version === null ? undefined : Number(r.stream_version),
    txOrder: r.tx_order ?? undefined,
    globalPosition: r.global_position ?? undefined,
  }));
}
