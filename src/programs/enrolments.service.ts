import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { Principal } from '../auth/roles';
import { RecordedEvent } from '../event-store/envelope';
import { WrongExpectedVersionError } from '../event-store/errors';
import { commandMetadata, loadState } from '../event-store/load-state';
import { EVENT_STORE, EventStore } from '../event-store/port';
import { formatPosition } from '../event-store/position';
import { householdDecider, householdProfile } from '../household/decider';
import { householdStreamId } from '../registration/registration-cases.service';
import { isRejection } from '../shared/decider';
import { KeyedQueue } from '../shared/keyed-queue';
import { ApiError } from '../shared/http/api-error';
import { EnrolmentCommand, enrolmentDecider, EnrolmentState } from './enrolment/decider';
import { enrolmentStreamId } from './enrolment/events';
import { ProgramCatalogue, ProgramCaps } from './program-catalogue';
import { nextPeriod, periodOf, programEligibility, ProgramRule, regencyOf } from './program-rules';

const SAGA_ACTOR: Principal = { userId: 'sistem:penetapan-program', role: 'admin', region: '' };
const MAX_ATTEMPTS = 10;
/** How many approved periods ahead a change may be pushed before giving up. */
const MAX_PERIODS_AHEAD = 4;

export interface RulePreview {
  readonly program: string;
  readonly version: string;
  readonly regencyCode: string;
  readonly period: string;
  readonly wouldEnter: string[];
  readonly wouldLeave: string[];
  /** Waitlist ranks before and after (null: not on the waitlist). */
  readonly waitlistMoves: Array<{ householdId: string; from: number | null; to: number | null }>;
}

/** An event id derived from what caused it: issuing the same command twice writes nothing twice. */
export function derivedEventId(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('|')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Enrolment: for each program in force, whether a household is eligible, then the program's list
 * for its regency and period decides enrolled, waitlisted or exited. The quota is guarded by the
 * list stream's version: two decisions on one list never both take the last place.
 */
@Injectable()
export class Enrolments {
  private readonly queue = new KeyedQueue();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly catalogue: ProgramCatalogue,
    private readonly caps: ProgramCaps,
  ) {}

  /** Re-evaluates a household for every program, as caused by `trigger` (replay-safe). */
  /**
   * Re-evaluates a household for every program, as caused by `trigger` (replay-safe). Programs are
   * taken in the caps' priority order; once the household holds `maxProgramsPerHousehold`, further
   * programs count it as not eligible (CAP_REACHED) unless it already holds them.
   */
  async evaluateHousehold(householdId: string, trigger: RecordedEvent, leftRegency?: string): Promise<void> {
    const { state } = await loadState(this.store, householdDecider, householdStreamId(householdId));
    if (!state.exists) return;
    const profile = householdProfile(householdId, state);
    const day = trigger.metadata.recordedAt.slice(0, 10);
    const regency = regencyOf(profile.villageCode);
    let held = 0;
    for (const rule of this.caps.ordered(this.catalogue.inForce(day))) {
      const eligibility = programEligibility(rule, profile, day);
      const evaluate = (eligible: boolean, reasons: readonly string[]): EnrolmentCommand => ({
        type: 'evaluate',
        household: { householdId, desil: profile.desil, establishedOn: profile.establishedOn },
        eligible,
        reasons,
        ruleVersion: rule.version,
        cause: trigger.eventId,
      });
      if (leftRegency && leftRegency !== regency)
        await this.decideOnList(rule, leftRegency, periodOf(day), evaluate(false, ['PINDAH']), trigger, 'left');
      const holdsIt = (await this.list(rule.code, regency, periodOf(day))).state.enrolled.has(householdId);
      const capped = eligibility.eligible && !holdsIt && held >= this.caps.maxProgramsPerHousehold;
      const command = capped
        ? evaluate(false, ['CAP_REACHED'])
        : evaluate(
            eligibility.eligible,
            eligibility.reasons.map((r) => r.code),
          );
      const after = await this.decideOnList(rule, regency, periodOf(day), command, trigger, 'here');
      if (after?.enrolled.has(householdId)) held++;
    }
  }

  async setQuota(
    program: string,
    regencyCode: string,
    period: string,
    quota: number,
    actor: Principal,
    reason?: string,
  ): Promise<{ position: string; state: EnrolmentState; batchId: string }> {
    const rule = this.catalogue.rule(program, `${period.slice(0, 4)}-12-31`);
    if (!rule) throw ApiError.notFound({ id: 'Program', en: 'Program' });
    // A quota change is a batch: the change and everyone it promotes carry its id, so it can be reverted.
    const batchId = randomUUID();
    const decided = await this.decide(
      enrolmentStreamId(program, regencyCode, period),
      { type: 'setQuota', program, regencyCode, period, quota, actor },
      commandMetadata({ actor, reason, batchId }),
    );
    return { ...decided, batchId };
  }

  /**
   * Reverts a quota change (batch `batchId`) on one list: the quota it replaced comes back and the
   * households it promoted return to the waitlist, by compensating events carrying `revertId`.
   */
  async revertQuota(
    listStreamId: string,
    batchId: string,
    revertId: string,
    actor: Principal,
    reason: string,
  ): Promise<{ position: string; state: EnrolmentState }> {
    const events = await this.store.readStream(listStreamId);
    const change = events.find((e) => e.type === 'QuotaSet' && e.metadata.batchId === batchId);
    if (!change) throw ApiError.notFound({ id: 'Perubahan kuota', en: 'Quota change' });
    const promoted = events
      .filter((e) => e.type === 'HouseholdEnrolled' && e.metadata.batchId === batchId)
      .map((e) => (e.data as { householdId: string }).householdId);
    return this.decide(
      listStreamId,
      {
        type: 'revertQuota',
        quotaBefore: (change.data as { previous?: number }).previous ?? 0,
        promoted,
        revertedBatchId: batchId,
      },
      commandMetadata({ actor, reason, batchId: revertId }),
    );
  }

  /** What a quota change would do, written nowhere: who would enter from the waitlist. */
  async previewQuota(
    program: string,
    regencyCode: string,
    period: string,
    quota: number,
    actor: Principal,
  ): Promise<{ wouldEnrol: string[]; wouldStayWaiting: number; state: EnrolmentState }> {
    const { state } = await this.list(program, regencyCode, period);
    const events = enrolmentDecider.decide({ type: 'setQuota', program, regencyCode, period, quota, actor }, state);
    if (isRejection(events)) throw ApiError.fromRejection(events);
    const next = events.reduce(enrolmentDecider.evolve, state);
    const wouldEnrol = events
      .filter((e) => e.type === 'HouseholdEnrolled')
      .map((e) => (e.data as { householdId: string }).householdId);
    return { wouldEnrol, wouldStayWaiting: next.waitlist.length, state: next };
  }

  /**
   * What a new rule version would do to one regency's list for a period, written nowhere: every
   * active household there is evaluated under the candidate rule through the list decider itself,
   * and the lists before and after are compared.
   */
  async previewRule(
    candidate: ProgramRule,
    regencyCode: string,
    period: string,
    householdIds: readonly string[],
    today: string,
  ): Promise<RulePreview> {
    const { state: before } = await this.list(candidate.code, regencyCode, period);
    let after = before;
    for (const householdId of householdIds) {
      const { state } = await loadState(this.store, householdDecider, householdStreamId(householdId));
      if (!state.exists) continue;
      const profile = householdProfile(householdId, state);
      const eligibility = programEligibility(candidate, profile, today);
      const command: EnrolmentCommand = {
        type: 'evaluate',
        household: { householdId, desil: profile.desil, establishedOn: profile.establishedOn },
        eligible: eligibility.eligible,
        reasons: eligibility.reasons.map((r) => r.code),
        ruleVersion: candidate.version,
        cause: 'preview',
      };
      const events = enrolmentDecider.decide(command, { ...after, approved: false });
      if (!isRejection(events)) after = events.reduce(enrolmentDecider.evolve, after);
    }
    const waiting = (s: EnrolmentState) => new Map(s.waitlist.map((e, i) => [e.householdId, i + 1]));
    const [wasWaiting, nowWaiting] = [waiting(before), waiting(after)];
    return {
      program: candidate.code,
      version: candidate.version,
      regencyCode,
      period,
      wouldEnter: [...after.enrolled.keys()].filter((id) => !before.enrolled.has(id)),
      wouldLeave: [...before.enrolled.keys()].filter((id) => !after.enrolled.has(id)),
      waitlistMoves: [...new Set([...wasWaiting.keys(), ...nowWaiting.keys()])]
        .filter((id) => wasWaiting.get(id) !== nowWaiting.get(id))
        .map((id) => ({ householdId: id, from: wasWaiting.get(id) ?? null, to: nowWaiting.get(id) ?? null })),
    };
  }

  async approveList(
    program: string,
    regencyCode: string,
    period: string,
    actor: Principal,
    reason?: string,
  ): Promise<{ position: string; state: EnrolmentState }> {
    return this.decide(
      enrolmentStreamId(program, regencyCode, period),
      { type: 'approveList', period, actor },
      commandMetadata({ actor, reason }),
    );
  }

  async list(program: string, regencyCode: string, period: string): Promise<{ state: EnrolmentState; version: number }> {
    return loadState(this.store, enrolmentDecider, enrolmentStreamId(program, regencyCode, period));
  }

  /** One list decision; an approved period's list is left alone and the next period's takes the change. */
  private async decideOnList(
    rule: ProgramRule,
    regencyCode: string,
    period: string,
    command: EnrolmentCommand,
    trigger: RecordedEvent,
    side: string,
  ): Promise<EnrolmentState | undefined> {
    for (let p = period, ahead = 0; ahead <= MAX_PERIODS_AHEAD; p = nextPeriod(p), ahead++) {
      const streamId = enrolmentStreamId(rule.code, regencyCode, p);
      const metadata = {
        ...commandMetadata({
          actor: SAGA_ACTOR,
          causationId: trigger.eventId,
          correlationId: trigger.metadata.correlationId,
          ruleVersions: { [rule.code]: rule.version },
        }),
      };
      try {
        return (
          await this.decide(streamId, command, metadata, (i) => derivedEventId(trigger.eventId, rule.code, side, p, String(i)))
        ).state;
      } catch (err) {
        if (!(err instanceof ApiError) || (err.getResponse() as { code: string }).code !== 'PERIOD_LIST_APPROVED') throw err;
      }
    }
  }

  private async decide(
    streamId: string,
    command: EnrolmentCommand,
    metadata: ReturnType<typeof commandMetadata>,
    eventId?: (index: number) => string,
  ): Promise<{ position: string; state: EnrolmentState }> {
    return this.queue.run(streamId, () => this.decideNow(streamId, command, metadata, eventId));
  }

  private async decideNow(
    streamId: string,
    command: EnrolmentCommand,
    metadata: ReturnType<typeof commandMetadata>,
    eventId?: (index: number) => string,
  ): Promise<{ position: string; state: EnrolmentState }> {
    for (let attempt = 1; ; attempt++) {
      const { state, version } = await loadState(this.store, enrolmentDecider, streamId);
      const events = enrolmentDecider.decide(command, state);
      if (isRejection(events)) throw ApiError.fromRejection(events);
      const next = events.reduce(enrolmentDecider.evolve, state);
      if (events.length === 0) return { position: '', state };
      try {
        const written = events.map((e, i) => ({ ...e, metadata, ...(eventId ? { eventId: eventId(i) } : {}) }));
        const result = await this.store.append(streamId, written, { expectedVersion: version });
        return { position: formatPosition(result.position), state: next };
      } catch (err) {
        if (!(err instanceof WrongExpectedVersionError) || attempt >= MAX_ATTEMPTS) throw err;
        await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt)); // another instance wrote: back off
      }
    }
  }
}
