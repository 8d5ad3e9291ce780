import { Inject, Injectable } from '@nestjs/common';
import { Principal } from '../auth/roles';
import { WrongExpectedVersionError } from '../event-store/errors';
import { EVENT_STORE, EventStore } from '../event-store/port';
import { START } from '../event-store/position';
import { Enrolments, derivedEventId } from '../programs/enrolments.service';
import { RegistrationCases } from '../registration/registration-cases.service';
import { ApiError } from '../shared/http/api-error';
import { StatusChanges } from '../status-changes/status-changes.service';

const VISIBILITY_WAIT_MS = 2000;
const VISIBILITY_RETRY_MS = 100;

/** The events that start a batch's effects: each names the batch in its metadata. */
const BATCH_ORIGINS = ['StatusChangeRequested', 'ApprovalDecided', 'QuotaSet'] as const;
type Origin = (typeof BATCH_ORIGINS)[number];

export type BatchKind = 'SIGNAL_IMPORT' | 'VERVAL_APPROVAL' | 'QUOTA_CHANGE';
const KIND_OF: Record<Origin, BatchKind> = {
  StatusChangeRequested: 'SIGNAL_IMPORT',
  ApprovalDecided: 'VERVAL_APPROVAL',
  QuotaSet: 'QUOTA_CHANGE',
};

export interface BatchTarget {
  readonly kind: BatchKind;
  readonly streamId: string;
}

export interface Reversal {
  readonly batchId: string;
  readonly revertId: string;
  readonly kinds: BatchKind[];
  /** Compensated: a case withdrawn or reverted (with the household change undone), a list restored. */
  readonly reverted: Array<BatchTarget & { status: string }>;
  /** Left for a person: already undone, or moved on since the batch (the refusal says why). */
  readonly notReverted: Array<BatchTarget & { code: string; message: string; messageEn: string }>;
}

/**
 * Reverting a batch (a signal file, a verval batch approval, a quota change) for what it wrongly
 * affected: compensating events carrying a batch id of their own and the reason, never edits.
 * Each target is compensated only while it is still as the batch left it; otherwise it is listed,
 * with the refusal, for a person to look at. Reverting twice writes nothing twice.
 */
@Injectable()
export class BatchReversals {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly changes: StatusChanges,
    private readonly registrations: RegistrationCases,
    private readonly enrolments: Enrolments,
  ) {}

  /**
   * Every stream the batch touched first, by kind. A batch written a moment ago may not be visible
   * yet (gap-safe reads wait for earlier transactions still committing), so an empty answer is
   * retried briefly before it is a 404.
   */
  async targets(batchId: string): Promise<BatchTarget[]> {
    for (let waited = 0; ; waited += VISIBILITY_RETRY_MS) {
      const found = await this.scan(batchId);
      if (found.length > 0) return found;
      if (waited >= VISIBILITY_WAIT_MS) throw ApiError.notFound({ id: 'Batch', en: 'Batch' });
      await new Promise((r) => setTimeout(r, VISIBILITY_RETRY_MS));
    }
  }

  private async scan(batchId: string): Promise<BatchTarget[]> {
    const found = new Map<string, BatchTarget>();
    for (let from = START, end = false; !end;) {
      const page = await this.store.readAll({ from, filter: { eventTypes: [...BATCH_ORIGINS] }, limit: 1000 });
      for (const e of page.events.filter((x) => x.metadata.batchId === batchId))
        found.set(e.streamId, { kind: KIND_OF[e.type as Origin], streamId: e.streamId });
      from = page.position;
      end = page.isEnd;
    }
    return [...found.values()];
  }

  async revert(batchId: string, actor: Principal, reason: string): Promise<Reversal> {
    const targets = await this.targets(batchId);
    const revertId = derivedEventId('revert', batchId);
    const why = { actor, reason, batchId: revertId };
    const result: Reversal = {
      batchId,
      revertId,
      kinds: [...new Set(targets.map((t) => t.kind))],
      reverted: [],
      notReverted: [],
    };
    for (const target of targets) {
      try {
        result.reverted.push({ ...target, status: await this.revertOne(target, batchId, why) });
      } catch (err) {
        result.notReverted.push({ ...target, ...refusal(err) });
      }
    }
    return result;
  }

  private async revertOne(
    target: BatchTarget,
    batchId: string,
    why: { actor: Principal; reason: string; batchId: string },
  ): Promise<string> {
    const id = target.streamId.slice(target.streamId.indexOf('-') + 1);
    switch (target.kind) {
      case 'SIGNAL_IMPORT':
        return (await this.changes.undo(id, batchId, why)).status;
      case 'VERVAL_APPROVAL':
        return (await this.registrations.execute(id, { type: 'revertBatchDecision', revertedBatchId: batchId, ...why })).status;
      case 'QUOTA_CHANGE': {
        const { state } = await this.enrolments.revertQuota(target.streamId, batchId, why.batchId, why.actor, why.reason);
        return `QUOTA_${state.quota}`;
      }
    }
  }
}

/** A target left alone, and why: its refusal (409), or another writer got there first. */
function refusal(err: unknown): { code: string; message: string; messageEn: string } {
  if (err instanceof WrongExpectedVersionError)
    return {
      code: 'VERSION_CONFLICT',
      message: 'Diubah bersamaan; ulangi pembatalan',
      messageEn: 'Changed concurrently; revert again',
    };
  if (err instanceof ApiError && err.getStatus() === 409) {
    const { code, message, messageEn } = err.getResponse() as { code: string; message: string; messageEn: string };
    return { code, message, messageEn };
  }
  throw err;
}
