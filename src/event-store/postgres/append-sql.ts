import { EncodedEvent } from '../codec';
import { ExpectedVersion } from '../port';

/**
 * The append lock: a transaction-level advisory lock (two-key form, so it never meets the
 * one-key leases of the projection runner). In pg_locks: locktype 'advisory', classid, objid,
 * objsubid 2, in this database only (advisory locks are per database).
 */
export const APPEND_LOCK = { classid: 29541, objid: 1 } as const;

/**
 * Other instances' subscribers wake on this channel. The append statement itself notifies: the
 * notification rides on the append's commit (sent only if it commits) instead of a transaction
 * of its own, which would need a commit record and a WAL flush of its own (NOTIFY assigns a
 * transaction id).
 */
export const NOTIFY_CHANNEL = 'es_appended';

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
 *
 * Visibility (docs/adr/0001-event-visibility.md): before any position is drawn the statement takes
 * the store's append lock (transaction-level, so it is held to commit). PostgreSQL makes a commit
 * visible before it releases the transaction's locks, so positions become visible in their own
 * order: a reader that sees position P never later sees a smaller one appear. Every input row is
 * joined to the lock's row, so no row reaches the insert (and its identity default) before the
 * lock is granted.
 */
const appendSql = (allOrNothing: boolean): string => `
with recursive
append_lock as materialized (
  select pg_advisory_xact_lock(${APPEND_LOCK.classid}, ${APPEND_LOCK.objid})::text as locked,
         pg_notify('${NOTIFY_CHANNEL}', '')::text as announced),
input as (
  select t.a, t.stream_id, t.expected, t.event_id, t.type, t.schema_version, t.data, t.metadata, t.recorded_at, t.mac,
         row_number() over (partition by t.a order by t.ord) as n
  from append_lock, unnest($1::int[], $2::text[], $3::bigint[], $4::uuid[], $5::text[], $6::int[], $7::text[], $8::text[],
              $9::timestamptz[], $10::text[])
       with ordinality as t(a, stream_id, expected, event_id, type, schema_version, data, metadata, recorded_at, mac, ord)),
appends as (
  -- One index probe per append (not per event) finds the stream's last version and hash.
  select h.a, h.stream_id, h.expected, coalesce(last.stream_version, 0) as actual, coalesce(last.hash, '') as prev
  from (select distinct on (i.a) i.a, i.stream_id, i.expected from input i order by i.a) h
  left join lateral (select e.stream_version, e.hash from es_events e where e.stream_id = h.stream_id
                     order by e.stream_version desc limit 1) last on true),
accepted as (
  select p.a, p.actual as base, p.prev from appends p where p.expected < 0 or p.expected = p.actual),
chain as (
  select c.a, 0::bigint as n, c.prev as hash from accepted c
  union all
  select i.a, i.n, es_link_hash(ch.hash, i.stream_id, ac.base + i.n, i.event_id, i.type, i.schema_version, i.data, i.metadata)
  from chain ch join input i on i.a = ch.a and i.n = ch.n + 1 join accepted ac on ac.a = i.a),
inserted as (
  insert into es_events (stream_id, stream_version, category, event_id, type, schema_version, data,
                         metadata, recorded_at, hash, mac)
  select i.stream_id, ac.base + i.n,
         split_part(i.stream_id, '-', 1), i.event_id, i.type, i.schema_version, i.data, i.metadata, i.recorded_at, ch.hash,
         i.mac
  from input i join accepted ac on ac.a = i.a join chain ch on ch.a = i.a and ch.n = i.n
  ${allOrNothing ? 'where not exists (select 1 from appends p where not (p.expected < 0 or p.expected = p.actual))' : ''}
  order by i.a, i.n
  returning es_events.stream_id, es_events.stream_version, es_events.global_position)
select p.a, p.actual, ac.a is not null as accepted, x.stream_version, x.global_position
from appends p
left join accepted ac on ac.a = p.a
left join (select i.stream_id, max(i.stream_version) as stream_version, max(i.global_position) as global_position
           from inserted i group by i.stream_id) x on x.stream_id = p.stream_id
order by p.a`;

/**
 * The common case, every append of the statement one event (single commands, group-committed):
 * the same checks, lock, chain link and insert as appendSql, without the recursive CTE and the
 * window that number several events per append. The link is es_link_hash onto the stream's last
 * hash, exactly as the recursive form's first step computes it.
 */
const appendOneEachSql = (allOrNothing: boolean): string => `
with append_lock as materialized (
  select pg_advisory_xact_lock(${APPEND_LOCK.classid}, ${APPEND_LOCK.objid})::text as locked,
         pg_notify('${NOTIFY_CHANNEL}', '')::text as announced),
input as materialized (
  select t.a, t.stream_id, t.expected, t.event_id, t.type, t.schema_version, t.data, t.metadata, t.recorded_at, t.mac
  from append_lock, unnest($1::int[], $2::text[], $3::bigint[], $4::uuid[], $5::text[], $6::int[], $7::text[], $8::text[],
              $9::timestamptz[], $10::text[]) as t(a, stream_id, expected, event_id, type, schema_version, data, metadata, recorded_at, mac)),
appends as materialized (
  -- Rows leave input only once the lock is granted, so the last version is read under the lock.
  select i.*, coalesce(last.stream_version, 0) as actual, coalesce(last.hash, '') as prev
  from input i
  left join lateral (select e.stream_version, e.hash from es_events e where e.stream_id = i.stream_id
                     order by e.stream_version desc limit 1) last on true),
inserted as (
  insert into es_events (stream_id, stream_version, category, event_id, type, schema_version, data,
                         metadata, recorded_at, hash, mac)
  select p.stream_id, p.actual + 1, split_part(p.stream_id, '-', 1), p.event_id, p.type, p.schema_version, p.data,
         p.metadata, p.recorded_at,
         es_link_hash(p.prev, p.stream_id, p.actual + 1, p.event_id, p.type, p.schema_version, p.data, p.metadata), p.mac
  from appends p
  where (p.expected < 0 or p.expected = p.actual)
  ${allOrNothing ? 'and not exists (select 1 from appends r where not (r.expected < 0 or r.expected = r.actual))' : ''}
  order by p.a
  returning es_events.stream_id, es_events.stream_version, es_events.global_position)
select p.a, p.actual, (p.expected < 0 or p.expected = p.actual) as accepted, x.stream_version, x.global_position
from appends p
left join inserted x on x.stream_id = p.stream_id
order by p.a`;

/** Statement and its prepared name for these appends: the one-event form when it applies. */
export function appendStatement(appends: readonly EncodedAppend[], allOrNothing: boolean): { name: string; text: string } {
  const oneEach = appends.every((a) => a.events.length === 1);
  if (oneEach)
    return allOrNothing
      ? { name: 'es_append1_all', text: APPEND_ONE_EACH_ALL_OR_NOTHING_SQL }
      : { name: 'es_append1', text: APPEND_ONE_EACH_SQL };
  return allOrNothing ? { name: 'es_append_all', text: APPEND_ALL_OR_NOTHING_SQL } : { name: 'es_append', text: APPEND_SQL };
}

export const APPEND_ONE_EACH_SQL = appendOneEachSql(false);
export const APPEND_ONE_EACH_ALL_OR_NOTHING_SQL = appendOneEachSql(true);

/** Appends that succeed or fail each on its own (group commit of unrelated appends). */
export const APPEND_SQL = appendSql(false);

/**
 * Appends that succeed together or not at all (appendMany): when any is refused, nothing is
 * inserted. One statement in autocommit, so the append lock is never held across a round trip.
 */
export const APPEND_ALL_OR_NOTHING_SQL = appendSql(true);

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
    global_position: string | null;
  }[],
): AppendOutcome[] {
  return rows.map((r) => ({
    accepted: r.accepted,
    actualVersion: Number(r.actual),
    streamVersion: r.stream_version === null ? undefined : Number(r.stream_version),
    globalPosition: r.global_position ?? undefined,
  }));
}
