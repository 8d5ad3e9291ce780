import { randomUUID } from 'node:crypto';
import { Decider, fold } from '../shared/decider';
import { EventMetadata, EvidenceRef } from './envelope';
import { EventStore } from './port';
import { Actor } from './envelope';

/** A stream's state by folding its events through a decider, and the version it is at (0 = none). */
export async function loadState<E, S>(
  store: EventStore,
  decider: Pick<Decider<unknown, E, S>, 'evolve' | 'initialState'>,
  streamId: string,
): Promise<{ state: S; version: number }> {
  const events = await store.readStream(streamId);
  return { state: fold(decider, events as unknown as E[]), version: events.at(-1)?.streamVersion ?? 0 };
}

/** The metadata every event of one command carries: a fresh command id, who, why, the evidence. */
export function commandMetadata(c: {
  actor: Actor;
  reason?: string;
  evidence?: readonly EvidenceRef[];
  correlationId?: string;
  causationId?: string;
  batchId?: string;
  ruleVersions?: Record<string, string>;
}): EventMetadata {
  const commandId = randomUUID();
  return {
    commandId,
    correlationId: c.correlationId ?? commandId,
    causationId: c.causationId ?? commandId,
    actor: c.actor,
    ...(c.reason ? { reason: c.reason } : {}),
    ...(c.evidence?.length ? { evidence: c.evidence } : {}),
    ...(c.batchId ? { batchId: c.batchId } : {}),
    ...(c.ruleVersions ? { ruleVersions: c.ruleVersions } : {}),
  };
}
