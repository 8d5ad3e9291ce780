import { EntityManager } from 'typeorm';
import { RecordedEvent } from '../../src/event-store/envelope';
import { HouseholdEvent } from '../../src/household/events';
import { Projection } from '../../src/projection-runner/projection';
import { EnrolmentEvent } from '../../src/programs/enrolment/events';
import { Member } from '../../src/registration/application';
import { NameKey } from '../../src/status-check/name-key';
import { RegistrationEvent } from '../../src/registration/events';
import { maskName } from '../../src/status-check/masking';
import { ProgramHolding, StatusCheckRow } from './status-check.entity';

type Recorded<E> = RecordedEvent & E;
type Of<U, T> = Recorded<Extract<U, { type: T }>>;
/** One subject's persons (a household, or a registration case), by member index. */
type Persons = StatusCheckRow[];
interface Change {
  /** The household or registration case the event changes. */
  subject(event: RecordedEvent): string;
  evolve(persons: Persons, event: RecordedEvent): Persons;
}

const subjectOf = (event: RecordedEvent): string => event.streamId.slice(event.streamId.indexOf('-') + 1);
const householdInData = (event: RecordedEvent): string => (event.data as { householdId: string }).householdId;
const at = (event: RecordedEvent): Date => new Date(event.metadata.recordedAt);

/** `enrolment-<PROGRAM>_<regency>_<period>` → program and period. */
function listOf(event: RecordedEvent): ProgramHolding {
  const [program, , period] = event.streamId.slice('enrolment-'.length).split('_');
  return { program, period };
}

/** The same change for every person of the subject. */
const everyone =
  (changes: (event: RecordedEvent) => Partial<StatusCheckRow>): Change['evolve'] =>
  (persons, event) =>
    persons.map((p) => ({ ...p, ...changes(event), updatedAt: at(event) }));

const ofSubject = (evolve: Change['evolve']): Change => ({ subject: subjectOf, evolve });

/** Takes the list's program and period off both holdings, then adds it where the event puts it. */
const holdings = (
  add: (event: RecordedEvent) => { programs?: ProgramHolding; waitlisted?: StatusCheckRow['waitlisted'][number] },
): Change => ({
  subject: householdInData,
  evolve: (current, event) => {
    const { program, period } = listOf(event);
    const other = (h: ProgramHolding) => !(h.program === program && h.period === period);
    const added = add(event);
    return current.map((p) => ({
      ...p,
      programs: [...p.programs.filter(other), ...(added.programs ? [added.programs] : [])],
      waitlisted: [...p.waitlisted.filter(other), ...(added.waitlisted ? [added.waitlisted] : [])],
      updatedAt: at(event),
    }));
  },
});

/**
 * Cek Bansos: a row per person, written as households are established and change, as programs
 * enrol and exit them, and while a registration's data is incomplete. The check reads one indexed
 * table; nothing is joined or replayed at query time.
 *
 * A batch loads the rows of the subjects its events touch in one query, evolves them in memory in
 * event order and writes them back in one statement (Marten's aggregation by key): a few round
 * trips per batch rather than one or more per event, which is what bounds a rebuild's speed.
 */
export class StatusCheckProjection extends Projection {
  readonly name = 'status-check';
  readonly tables = ['status_check'];
  private readonly changes: Record<string, Change> = {
    HouseholdEstablished: ofSubject((_, event) => {
      const e = event as Of<HouseholdEvent, 'HouseholdEstablished'>;
      return this.persons(subjectOf(event), 'household', e.data.villageCode, e.data.members, event, { active: true });
    }),
    MemberBorn: ofSubject((current, event) => {
      const { member } = (event as Of<HouseholdEvent, 'MemberBorn'>).data;
      const [first] = current;
      const born = this.person(subjectOf(event), 'household', current.length, first?.villageCode ?? '', member, event);
      return [...current, { ...born, programs: first?.programs ?? [], waitlisted: first?.waitlisted ?? [] }];
    }),
    MemberCorrected: ofSubject((current, event) => {
      const { memberIndex, corrections } = (event as Of<HouseholdEvent, 'MemberCorrected'>).data;
      const fullName = corrections.fullName;
      if (!fullName) return current;
      return onePerson(current, memberIndex, {
        nameKey: this.nameKey(fullName),
        maskedName: maskName(fullName),
        updatedAt: at(event),
      });
    }),
    MemberDied: ofSubject((current, event) => deceased(current, event, true)),
    MemberDeathRetracted: ofSubject((current, event) => deceased(current, event, false)),
    HouseholdMoved: ofSubject(
      everyone((event) => ({ villageCode: (event as Of<HouseholdEvent, 'HouseholdMoved'>).data.toVillageCode })),
    ),
    HouseholdDeactivated: ofSubject(everyone(() => ({ active: false }))),
    HouseholdReinstated: ofSubject(everyone(() => ({ active: true }))),
    HouseholdEnrolled: holdings((event) => ({ programs: listOf(event) })),
    HouseholdExited: holdings(() => ({})),
    HouseholdWaitlisted: holdings((event) => ({
      waitlisted: { ...listOf(event), rank: (event as Of<EnrolmentEvent, 'HouseholdWaitlisted'>).data.rank },
    })),
    HouseholdLeftWaitlist: holdings(() => ({})),
    RegistrationDraftSaved: ofSubject((current, event) => {
      const { caseId, application } = (event as Of<RegistrationEvent, 'RegistrationDraftSaved'>).data;
      return this.persons(caseId, 'registration', application.villageCode, application.members, event, {
        active: false,
        incomplete: current[0]?.incomplete ?? false,
      });
    }),
    AutomaticChecksFailed: ofSubject(everyone(() => ({ incomplete: true }))),
    RegistrationValidationFailed: ofSubject(everyone(() => ({ incomplete: true }))),
    DocumentsFoundIncomplete: ofSubject(everyone(() => ({ incomplete: true }))),
    AutomaticChecksPassed: ofSubject(everyone(() => ({ incomplete: false }))),
    DocumentsResubmitted: ofSubject(everyone(() => ({ incomplete: false }))),
    RegistrationEstablished: ofSubject(() => []),
    RegistrationWithdrawn: ofSubject(() => []),
    // An approved erasure takes the household out of the check at once, not only after a rebuild.
    ErasureApproved: { subject: householdInData, evolve: () => [] },
  };
  /** None: `apply` evolves each subject's rows in memory with `changes`. */
  protected readonly handlers = {};

  /** `nameKey` turns a name into its lookup key (a keyed hash: no name is stored in plain text). */
  constructor(private readonly nameKey: NameKey) {
    super();
  }

  protected override get eventTypes(): string[] {
    return Object.keys(this.changes);
  }

  override async apply(events: readonly RecordedEvent[], m: EntityManager): Promise<void> {
    const subjects = [...new Set(events.map((e) => this.changes[e.type].subject(e)))];
    const current = await load(m, subjects);
    for (const event of events) {
      const change = this.changes[event.type];
      const subject = change.subject(event);
      current.set(subject, change.evolve(current.get(subject) ?? [], event));
    }
    await save(m, subjects, current);
  }

  private persons(
    subjectId: string,
    source: StatusCheckRow['source'],
    villageCode: string,
    members: readonly Pick<Member, 'fullName'>[],
    event: RecordedEvent,
    flags: { active: boolean; incomplete?: boolean },
  ): Persons {
    return members.map((member, i) => ({ ...this.person(subjectId, source, i, villageCode, member, event), ...flags }));
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
      nameKey: this.nameKey(member.fullName),
      maskedName: maskName(member.fullName),
      active: source === 'household',
      deceased: false,
      incomplete: false,
      programs: [],
      waitlisted: [],
      updatedAt: at(event),
    };
  }
}

function onePerson(current: Persons, memberIndex: number, changes: Partial<StatusCheckRow>): Persons {
  return current.map((p) => (p.memberIndex === memberIndex ? { ...p, ...changes } : p));
}

function deceased(current: Persons, event: RecordedEvent, value: boolean): Persons {
  const { memberIndex } = event.data as { memberIndex: number };
  return onePerson(current, memberIndex, { deceased: value, updatedAt: at(event) });
}

const COLUMNS = `person_key, subject_id, source, member_index, village_code, name_key, masked_name, active, deceased,
  incomplete, programs, waitlisted, updated_at`;

async function load(m: EntityManager, subjects: readonly string[]): Promise<Map<string, Persons>> {
  const rows: Record<string, any>[] = await m.query(
    `select ${COLUMNS} from status_check where subject_id = any($1::uuid[]) order by subject_id, member_index`,
    [subjects],
  );
  const bySubject = new Map<string, Persons>();
  for (const r of rows) {
    const row: StatusCheckRow = {
      personKey: r.person_key,
      subjectId: r.subject_id,
      source: r.source,
      memberIndex: r.member_index,
      villageCode: r.village_code,
      nameKey: r.name_key,
      maskedName: r.masked_name,
      active: r.active,
      deceased: r.deceased,
      incomplete: r.incomplete,
      programs: r.programs,
      waitlisted: r.waitlisted,
      updatedAt: r.updated_at,
    };
    bySubject.set(row.subjectId, [...(bySubject.get(row.subjectId) ?? []), row]);
  }
  return bySubject;
}

/** Replaces the touched subjects' rows: one delete and one insert, whatever the batch held. */
async function save(m: EntityManager, subjects: readonly string[], current: Map<string, Persons>): Promise<void> {
  await m.query('delete from status_check where subject_id = any($1::uuid[])', [subjects]);
  const rows = subjects.flatMap((s) => current.get(s) ?? []);
  if (!rows.length) return;
  const column = <T>(f: (r: StatusCheckRow) => T) => rows.map(f);
  await m.query(
    `insert into status_check (${COLUMNS})
     select * from unnest($1::text[], $2::uuid[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::bool[],
       $9::bool[], $10::bool[], $11::jsonb[], $12::jsonb[], $13::timestamptz[])`,
    [
      column((r) => r.personKey),
      column((r) => r.subjectId),
      column((r) => r.source),
      column((r) => r.memberIndex),
      column((r) => r.villageCode),
      column((r) => r.nameKey),
      column((r) => r.maskedName),
      column((r) => r.active),
      column((r) => r.deceased),
      column((r) => r.incomplete),
      column((r) => JSON.stringify(r.programs)),
      column((r) => JSON.stringify(r.waitlisted)),
      column((r) => r.updatedAt.toISOString()),
    ],
  );
}
