import { Actor, EvidenceRef, RecordedEvent } from '../event-store/envelope';
import { formatPosition } from '../event-store/position';
import { BilingualText } from '../shared/decider';
import { describeEvent } from './event-descriptions';

/** One line of an audit trail: what happened, who, when (recorded and effective), why, evidence, rules. */
export interface TimelineEntry {
  readonly eventId: string;
  readonly position: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly type: string;
  readonly what: BilingualText;
  readonly recordedAt: string;
  /** When it happened in the world (a death date), which may precede the day it was recorded. */
  readonly effectiveOn: string;
  readonly actor?: Actor;
  readonly reason?: string;
  readonly evidence: readonly EvidenceRef[];
  readonly ruleVersions?: Readonly<Record<string, string>>;
  readonly batchId?: string;
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly data: unknown;
}

/** Fields no audit view shows: the objector's identity belongs to the deciding caseworker alone. */
const HIDDEN_FIELDS = ['objector'];

export function effectiveDateOf(event: RecordedEvent): string {
  const data = event.data as { diedOn?: string };
  return (
    (event.metadata.effectiveAt as string | undefined)?.slice(0, 10) ??
    (event.type === 'MemberDied' && data.diedOn ? data.diedOn : event.metadata.recordedAt!.slice(0, 10))
  );
}

export function toTimelineEntry(event: RecordedEvent): TimelineEntry {
  const m = event.metadata;
  const data = { ...(event.data as Record<string, unknown>) };
  for (const field of HIDDEN_FIELDS) delete data[field];
  return {
    eventId: event.eventId,
    position: formatPosition(event.position),
    streamId: event.streamId,
    streamVersion: event.streamVersion,
    type: event.type,
    what: describeEvent(event),
    recordedAt: m.recordedAt!,
    effectiveOn: effectiveDateOf(event),
    actor: m.actor,
    reason: m.reason,
    evidence: m.evidence ?? [],
    ruleVersions: m.ruleVersions,
    batchId: m.batchId as string | undefined,
    correlationId: m.correlationId,
    causationId: m.causationId,
    data,
  };
}
