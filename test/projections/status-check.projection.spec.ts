import { randomUUID } from 'node:crypto';
import { StatusCheckProjection } from '../../projections/status-check/status-check.projection';
import { RecordedEvent } from '../../src/event-store/envelope';
import { nameKeyFor } from '../../src/status-check/name-key';
import { createStoreFixture, StoreFixture, TEST_KEK } from '../support/database';

const nameKey = nameKeyFor(TEST_KEK);

const caseId = randomUUID();
const householdId = randomUUID();
let seq = 0;
function recorded(streamId: string, type: string, data: object): RecordedEvent {
  seq += 1;
  return {
    eventId: randomUUID(),
    type,
    schemaVersion: 1,
    data,
    metadata: { recordedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString() },
    streamId,
    streamVersion: seq,
    position: { commit: BigInt(seq), prepare: BigInt(seq) },
    hash: '',
    erasedFields: [],
  };
}
const member = (fullName: string) => ({ fullName });
const list = (program: string) => `enrolment-${program}_32.04_2026-Q4`;

/** A registration that is incomplete, corrected and established, then a household's whole life. */
const history: RecordedEvent[] = [
  recorded(`registration-${caseId}`, 'RegistrationDraftSaved', {
    caseId,
    application: { villageCode: '32.04.10.2001', members: [member('Siti Aminah')] },
  }),
  recorded(`registration-${caseId}`, 'AutomaticChecksFailed', {}),
  recorded(`registration-${caseId}`, 'RegistrationDraftSaved', {
    caseId,
    application: { villageCode: '32.04.10.2001', members: [member('Siti Aminah'), member('Budi Santoso')] },
  }),
  recorded(`registration-${caseId}`, 'AutomaticChecksPassed', {}),
  recorded(`registration-${caseId}`, 'RegistrationEstablished', {}),
  recorded(`household-${householdId}`, 'HouseholdEstablished', {
    villageCode: '32.04.10.2001',
    members: [member('Siti Aminah'), member('Budi Santoso')],
  }),
  recorded(list('PKH'), 'HouseholdEnrolled', { householdId }),
  recorded(list('BPNT'), 'HouseholdWaitlisted', { householdId, rank: 4 }),
  recorded(`household-${householdId}`, 'MemberBorn', { member: member('Dewi Lestari') }),
  recorded(`household-${householdId}`, 'MemberDied', { memberIndex: 1 }),
  recorded(`household-${householdId}`, 'MemberCorrected', { memberIndex: 0, corrections: { fullName: 'Siti Aminah Putri' } }),
  recorded(list('BPNT'), 'HouseholdEnrolled', { householdId }),
  recorded(`household-${householdId}`, 'HouseholdMoved', { toVillageCode: '32.73.01.1001' }),
  recorded(list('PKH'), 'HouseholdExited', { householdId }),
];

describe('status-check projection: a batch evolves its subjects in memory and writes them once', () => {
  let fx: StoreFixture;
  const projection = new StatusCheckProjection(nameKey);
  const rows = () =>
    fx.dataSource.query(
      `select person_key, subject_id, source, member_index, village_code, name_key, masked_name, active, deceased,
              incomplete, programs, waitlisted, updated_at from status_check order by person_key`,
    );
  const applyInBatches = async (size: number) => {
    await fx.dataSource.query('truncate status_check');
    for (let i = 0; i < history.length; i += size)
      await fx.dataSource.transaction((m) => projection.apply(history.slice(i, i + size), m));
    return rows();
  };

  beforeAll(async () => (fx = await createStoreFixture()));
  afterAll(() => fx.close());

  it('given a registration and a household history, then one person per member with their holdings as the events left them', async () => {
    const result = await applyInBatches(history.length);
    expect(result.map((r: { person_key: string }) => r.person_key)).toEqual([0, 1, 2].map((i) => `${householdId}:${i}`));
    expect(result[0]).toMatchObject({
      source: 'household',
      village_code: '32.73.01.1001',
      name_key: nameKey('Siti Aminah Putri'),
      active: true,
      deceased: false,
      programs: [{ program: 'BPNT', period: '2026-Q4' }],
      waitlisted: [],
    });
    expect(result[1].deceased).toBe(true);
    expect(result[2]).toMatchObject({ name_key: nameKey('Dewi Lestari'), programs: [{ program: 'BPNT', period: '2026-Q4' }] });
  });

  it('given the same events one per batch, or three per batch, then the same rows as in one batch', async () => {
    const whole = await applyInBatches(history.length);
    expect(await applyInBatches(1)).toEqual(whole);
    expect(await applyInBatches(3)).toEqual(whole);
  });

  it('given a draft that failed its checks is saved again, then it stays incomplete until the checks pass', async () => {
    await fx.dataSource.query('truncate status_check');
    await fx.dataSource.transaction((m) => projection.apply(history.slice(0, 3), m));
    expect((await rows()).map((r: { incomplete: boolean; source: string }) => [r.source, r.incomplete])).toEqual([
      ['registration', true],
      ['registration', true],
    ]);
  });

  it('stores no name in plain text: the lookup key is a keyed hash, different under another key', async () => {
    const result = await applyInBatches(history.length);
    const texts = JSON.stringify(result).toUpperCase();
    expect(texts).not.toContain('SITI AMINAH');
    expect(texts).not.toContain('DEWI LESTARI');
    expect(nameKeyFor(Buffer.alloc(32, 8))('Dewi Lestari')).not.toBe(nameKey('Dewi Lestari'));
    expect(nameKey('dewi  lestari')).toBe(nameKey('DEWI LESTARI')); // normalised before hashing
  });

  it('given an approved erasure of the household, then its persons leave the check at once; others stay', async () => {
    const other = randomUUID();
    const erasure = [
      recorded(`household-${other}`, 'HouseholdEstablished', { villageCode: '32.04.10.2001', members: [member('Ani Lestari')] }),
      recorded(`erasure-${randomUUID()}`, 'ErasureApproved', { householdId, subjects: [`household-${householdId}`] }),
    ];
    await applyInBatches(history.length);
    await fx.dataSource.transaction((m) => projection.apply(erasure, m));
    expect((await rows()).map((r: { subject_id: string }) => r.subject_id)).toEqual([other]);
  });
});
