import { base, en, Faker, id_ID } from '@faker-js/faker';
import { PmtModels } from '../../src/eligibility/pmt-models';
import { readIdnAreaData } from '../../src/reference/idn-area-data';
import { generatePopulation } from '../../src/synthetic/population';
import { syntheticRegistration } from '../../src/synthetic/synthetic-registration';

const TODAY = '2026-11-24';
const regions = readIdnAreaData();
const villages = regions.filter((r) => r.level === 'desa').map((r) => r.code);
const districts = new Set(regions.filter((r) => r.level === 'kecamatan').map((r) => r.code));
const villageSet = new Set(villages);
const context = (seed: number) => ({
  model: new PmtModels().current(TODAY),
  districtExists: (c: string) => districts.has(c),
  villageExists: (c: string) => villageSet.has(c),
  claimStreamId: (nik: string) => `nikclaim-test-${nik}`,
  faker: new Faker({ locale: [id_ID, en, base], seed }),
});
const population = (seed: number) => [
  ...generatePopulation({ seed, households: 300, villageCodes: villages.slice(0, 3), today: TODAY }),
];

describe('synthetic registrations: each household decided by the verval decider', () => {
  const households = population(11);
  const ctx = context(11);
  const results = households.map((h) => ({ h, r: syntheticRegistration(h, ctx) }));

  it('the poorer households are established, the well-off found not eligible, as the PMT decides', () => {
    const statuses = new Map<string, number>();
    for (const { r } of results) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    expect(statuses.get('DITETAPKAN')).toBeGreaterThan(50);
    expect(statuses.get('TIDAK_LAYAK')).toBeGreaterThan(10);
    const desilOf = (status: string) => {
      const d = results.filter(({ r }) => r.status === status).map(({ h }) => h.desil);
      return d.reduce((a, b) => a + b, 0) / d.length;
    };
    expect(desilOf('DITETAPKAN')).toBeLessThan(desilOf('TIDAK_LAYAK'));
  });

  it('an established case has its whole verval history, a household stream, and its NIKs handed to the household', () => {
    const { h, r } = results.find(({ r }) => r.status === 'DITETAPKAN')!;
    const types = (stream: string) => r.appends.find((a) => a.streamId === stream)!.events.map((e) => e.type);
    expect(types(`registration-${h.caseId}`)).toEqual(
      expect.arrayContaining([
        'RegistrationDraftSaved',
        'RegistrationDocumentAttached',
        'RegistrationSubmitted',
        'AutomaticChecksPassed',
        'DocumentsFoundComplete',
        'FieldVerificationRecorded',
        'EligibilityAssessed',
        'ApprovalDecided',
        'RegistrationEstablished',
      ]),
    );
    expect(types(`household-${h.householdId}`)).toContain('HouseholdEstablished');
    for (const m of h.members) {
      const claim = r.appends.find((a) => a.streamId === `nikclaim-test-${m.nik}`)!;
      expect(claim.events.map((e) => [e.type, (e.data as { holder: string }).holder])).toEqual([
        ['NikClaimed', `registration-${h.caseId}`],
        ['NikReleased', `registration-${h.caseId}`],
        ['NikClaimed', `household-${h.householdId}`],
      ]);
    }
    expect(r.appends.every((a) => a.expectedVersion === 'no_stream')).toBe(true);
  });

  it('each step is taken by a role the state machine allows, in the household’s region', () => {
    const { h, r } = results.find(({ r }) => r.status === 'DITETAPKAN')!;
    const actors = r.appends[0].events.map((e) => e.metadata!.actor as { role: string; region: string });
    expect(new Set(actors.map((a) => a.role))).toEqual(
      new Set(['operator_desa', 'pendamping', 'dinsos', 'verifikator_provinsi', 'kemensos']),
    );
    for (const a of actors) expect(h.villageCode.startsWith(a.region)).toBe(true);
  });

  it('a household found not eligible gets no household; its case keeps the NIKs while a banding may reopen it', () => {
    const { h, r } = results.find(({ r }) => r.status === 'TIDAK_LAYAK')!;
    const claim = r.appends.find((a) => a.streamId === `nikclaim-test-${h.members[0].nik}`)!;
    expect(claim.events.map((e) => [e.type, (e.data as { holder: string }).holder])).toEqual([
      ['NikClaimed', `registration-${h.caseId}`],
    ]);
    expect(r.appends.some((a) => a.streamId.startsWith('household-'))).toBe(false);
  });

  it('the same seed gives the same events (but for fresh event ids)', () => {
    const sameSeed = context(11);
    const again = population(11).map((h) => syntheticRegistration(h, sameSeed));
    const shape = (rs: typeof again) => rs.map((r) => r.appends.map((a) => [a.streamId, a.events.map((e) => [e.type, e.data])]));
    expect(shape(again)).toEqual(shape(results.map(({ r }) => r)));
  });
});
