import { ProgramCatalogue } from '../../src/programs/program-catalogue';
import { HouseholdProfile, nextPeriod, periodOf, programEligibility } from '../../src/programs/program-rules';
import { application } from '../registration/fixtures';

const catalogue = new ProgramCatalogue();
const TODAY = '2026-11-24';
const family = (overrides: Partial<HouseholdProfile> = {}): HouseholdProfile => ({
  householdId: 'h1',
  villageCode: '32.04.10.2001',
  active: true,
  desil: 1,
  classification: 'SANGAT_MISKIN',
  establishedOn: '2026-01-01',
  members: application().members,
  ...overrides,
});
const codes = (h: HouseholdProfile, program: string) =>
  programEligibility(catalogue.rule(program, TODAY)!, h, TODAY).reasons.map((r) => r.code);

describe('program rules (versioned configuration)', () => {
  it('loads the programs of the catalogue, each with a version in force', () => {
    expect(catalogue.codes().sort()).toEqual(['ATENSI-DISABILITAS', 'ATENSI-LANSIA', 'BLT', 'BPNT', 'PBI-JKN', 'PIP', 'PKH']);
    expect(catalogue.inForce(TODAY).every((r) => r.version === '2026.1')).toBe(true);
    expect(catalogue.inForce('2025-06-01')).toEqual([]);
  });

  it('PKH: a very poor family with a school-age child is eligible', () => {
    expect(codes(family(), 'PKH')).toEqual([]);
  });

  it('PKH needs one of its components: adults only are not eligible, a pregnant member makes them so', () => {
    const adults = application().members.slice(0, 2);
    expect(codes(family({ members: adults }), 'PKH')).toEqual(['COMPOSITION']);
    expect(codes(family({ members: [adults[0], { ...adults[1], pregnant: true }] }), 'PKH')).toEqual([]);
  });

  it('a deceased member no longer counts for the composition', () => {
    const [head, wife, child] = application().members;
    expect(codes(family({ members: [head, wife, { ...child, deceased: true }] }), 'PKH')).toEqual(['COMPOSITION']);
  });

  it('desil, class and an inactive household are reasons too', () => {
    expect(codes(family({ desil: 3, classification: 'RENTAN_MISKIN' }), 'PKH')).toEqual(['DESIL_TOO_HIGH', 'CLASS_NOT_COVERED']);
    expect(codes(family({ desil: 5 }), 'PBI-JKN')).toEqual([]);
    expect(codes(family({ desil: 6 }), 'PBI-JKN')).toEqual(['DESIL_TOO_HIGH']);
    expect(codes(family({ active: false }), 'BPNT')).toEqual(['HOUSEHOLD_INACTIVE']);
  });

  it('periods are quarters', () => {
    expect(periodOf('2026-11-24')).toBe('2026-Q4');
    expect(periodOf('2026-01-01')).toBe('2026-Q1');
    expect(nextPeriod('2026-Q4')).toBe('2027-Q1');
    expect(nextPeriod('2026-Q2')).toBe('2026-Q3');
  });
});
