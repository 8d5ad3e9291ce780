import { EntityManager } from 'typeorm';
import { RecordedEvent } from '../../src/event-store/envelope';
import { HouseholdEvent } from '../../src/household/events';
import { Projection, ProjectionHandler } from '../../src/projection-runner/projection';
import { EnrolmentEvent } from '../../src/programs/enrolment/events';
import { Member, normaliseName } from '../../src/registration/application';
import { RegistrationEvent } from '../../src/registration/events';
import { maskName } from '../../src/status-check/masking';
import { StatusCheckRow } from './status-check.entity';

type Recorded<E> = RecordedEvent & E;
type Of<U, T> = Recorded<Extract<U, { type: T }>>;
const subjectOf = (event: RecordedEvent): string => event.streamId.slice(event.streamId.indexOf('-') + 1);

/** `enrolment-<PROGRAM>_<regency>_<period>` → program and period. */
function listOf(event: RecordedEvent): { program: string; period: string } {
  const [program, , period] = event.streamId.slice('enrolment-'.length).split('_');
  return { program, period };
}

/**
 * Cek Bansos: a row per person, written as households are established and change, as programs
 * enrol and exit them, and while a registration's data is incomplete. The check reads one indexed
 * table; nothing is joined or replayed at query time.
 */
export class StatusCheckProjection extends Projection {
  readonly name = 'status-check';
  readonly tables = ['status_check'];
  protected readonly handlers: Record<string, ProjectionHandler> = {
    HouseholdEstablished: async (event, m) => {
      const e = event as Of<HouseholdEvent, 'HouseholdEstablished'>;
      await this.insertMembers(m, subjectOf(event), 'household', e.data.villageCode, e.data.members, event, { active: true });
    },
    MemberBorn: async (event, m) => {
      const householdId = subjectOf(event);
      const [{ count, village_code: villageCode, programs, waitlisted }] = await m.query(
        `select count(*)::int as count, min(village_code) as village_code,
                (array_agg(programs))[1] as programs, (array_agg(waitlisted))[1] as waitlisted
         from status_check where subject_id = $1`,
        [householdId],
      );
      const { member } = (event as Of<HouseholdEvent, 'MemberBorn'>).data;
      await m.insert(StatusCheckRow, {
        ...this.person(householdId, 'household', count, villageCode, member, event),
        programs: programs ?? [],
        waitlisted: waitlisted ?? [],
      });
    },
    MemberCorrected: async (event, m) => {
      const { memberIndex, corrections } = (event as Of<HouseholdEvent, 'MemberCorrected'>).data;
      if (!corrections.fullName) return;
      await m.update(
        StatusCheckRow,
        { personKey: `${subjectOf(event)}:${memberIndex}` },
        { nameKey: normaliseName(corrections.fullName), maskedName: maskName(corrections.fullName), updatedAt: at(event) },
      );
    },
    MemberDied: (event, m) => this.setDeceased(m, event, true),
    MemberDeathRetracted: (event, m) => this.setDeceased(m, event, false),
    HouseholdMoved: (event, m) =>
      this.updateSubject(m, event, { villageCode: (event as Of<HouseholdEvent, 'HouseholdMoved'>).data.toVillageCode }),
    HouseholdDeactivated: (event, m) => this.updateSubject(m, event, { active: false }),
    HouseholdReinstated: (event, m) => this.updateSubject(m, event, { active: true }),
    HouseholdEnrolled: (event, m) =>
      this.holdings(m, event, (event as Of<EnrolmentEvent, 'HouseholdEnrolled'>).data.householdId, { programs: listOf(event) }),
    HouseholdExited: (event, m) => this.holdings(m, event, (event as Of<EnrolmentEvent, 'HouseholdExited'>).data.householdId, {}),
    HouseholdWaitlisted: (event, m) => {
      const { householdId, rank } = (event as Of<EnrolmentEvent, 'HouseholdWaitlisted'>).data;
      return this.holdings(m, event, householdId, { waitlisted: { ...listOf(event), rank } });
    },
    HouseholdLeftWaitlist: (event, m) =>
      this.holdings(m, event, (event as Of<EnrolmentEvent, 'HouseholdLeftWaitlist'>).data.householdId, {}),
    RegistrationDraftSaved: async (event, m) => {
      const { caseId, application } = (event as Of<RegistrationEvent, 'RegistrationDraftSaved'>).data;
      const [was] = await m.query('select incomplete from status_check where subject_id = $1 limit 1', [caseId]);
      await m.delete(StatusCheckRow, { subjectId: caseId });
      await this.insertMembers(m, caseId, 'registration', application.villageCode, application.members, event, {
        active: false,
        incomplete: was?.incomplete ?? false,
      });
    },
    AutomaticChecksFailed: (event, m) => this.updateSubject(m, event, { incomplete: true }),
    RegistrationValidationFailed: (event, m) => this.updateSubject(m, event, { incomplete: true }),
    DocumentsFoundIncomplete: (event, m) => this.updateSubject(m, event, { incomplete: true }),
    AutomaticChecksPassed: (event, m) => this.updateSubject(m, event, { incomplete: false }),
    DocumentsResubmitted: (event, m) => this.updateSubject(m, event, { incomplete: false }),
    RegistrationEstablished: async (event, m) => void (await m.delete(StatusCheckRow, { subjectId: subjectOf(event) })),
    RegistrationWithdrawn: async (event, m) => void (await m.delete(StatusCheckRow, { subjectId: subjectOf(event) })),
  };

  private async insertMembers(
    m: EntityManager,
    subjectId: string,
    source: StatusCheckRow['source'],
    villageCode: string,
    members: readonly Member[],
    event: RecordedEvent,
    flags: { active: boolean; incomplete?: boolean },
  ): Promise<void> {
    if (members.length === 0) return;
    await m.insert(
      StatusCheckRow,
      members.map((member, i) => ({
        ...this.person(subjectId, source, i, villageCode, member, event),
        ...flags,
      })),
    );
  }

  private person(
    subjectId: string,
    source: StatusCheckRow['source'],
    memberIndex: number,
    villageCode: string,
    member: Pick<Member, 'fullName'>,
    event: RecordedEvent,
  ): StatusCheckRow {
    return {
      personKey: `${subjectId}:${memberIndex}`,
      subjectId,
      source,
      memberIndex,
      villageCode,
      nameKey: normaliseName(member.fullName),
      maskedName: maskName(member.fullName),
      active: source === 'household',
      deceased: false,
      incomplete: false,
      programs: [],
      waitlisted: [],
      updatedAt: at(event),
    };
  }

  private async setDeceased(m: EntityManager, event: RecordedEvent, deceased: boolean): Promise<void> {
    const { memberIndex } = event.data as { memberIndex: number };
    await m.update(StatusCheckRow, { personKey: `${subjectOf(event)}:${memberIndex}` }, { deceased, updatedAt: at(event) });
  }

  private async updateSubject(m: EntityManager, event: RecordedEvent, changes: Partial<StatusCheckRow>): Promise<void> {
    await m.update(StatusCheckRow, { subjectId: subjectOf(event) }, { ...changes, updatedAt: at(event) });
  }

  /** Takes the list's program and period off both holdings, then adds it where the event puts it. */
  private async holdings(
    m: EntityManager,
    event: RecordedEvent,
    householdId: string,
    add: { programs?: object; waitlisted?: object },
  ): Promise<void> {
    const { program, period } = listOf(event);
    const without = (column: string) =>
      `(select coalesce(jsonb_agg(h), '[]'::jsonb) from jsonb_array_elements(${column}) h
        where not (h->>'program' = $2 and h->>'period' = $3))`;
    await m.query(
      `update status_check
       set programs = ${without('programs')} || $4::jsonb, waitlisted = ${without('waitlisted')} || $5::jsonb, updated_at = $6
       where subject_id = $1`,
      [
        householdId,
        program,
        period,
        JSON.stringify(add.programs ? [add.programs] : []),
        JSON.stringify(add.waitlisted ? [add.waitlisted] : []),
        at(event),
      ],
    );
  }
}

const at = (event: RecordedEvent): Date => new Date(event.metadata.recordedAt);
