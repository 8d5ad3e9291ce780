import { readIdnAreaData } from '../../src/reference/idn-area-data';
import { checkKk, checkNik } from '../../src/reference/identifiers';
import { generatePopulation } from '../../src/synthetic/population';

const regions = readIdnAreaData();
const villages = regions.filter((r) => r.level === 'desa').map((r) => r.code);
const districts = new Set(regions.filter((r) => r.level === 'kecamatan').map((r) => r.code));
const TODAY = '2026-11-24';
const ctx = { districtExists: (c: string) => districts.has(c), today: TODAY };

describe('synthetic population (seeded)', () => {
  const sample = [...generatePopulation({ seed: 7, households: 20_000, villageCodes: villages.slice(0, 400), today: TODAY })];

  it('the same seed gives the same households; another seed, others', () => {
    const first = (seed: number) => {
      const taken = [];
      for (const h of generatePopulation({ seed, households: 20_000, villageCodes: villages.slice(0, 400), today: TODAY })) {
        taken.push(h);
        if (taken.length === 50) break;
      }
      return taken;
    };
    expect(first(7)).toEqual(sample.slice(0, 50));
    expect(first(8)[0].members[0]).not.toEqual(sample[0].members[0]);
  });

  it('every NIK is valid and agrees with the member’s birth date, sex and district; every KK is valid; NIKs are unique', () => {
    const niks = new Set<string>();
    for (const h of sample) {
      expect(villages).toContain(h.villageCode);
      const kk = checkKk(h.kkNumber, ctx);
      expect(kk.valid).toBe(true);
      for (const m of h.members) {
        const nik = checkNik(m.nik, ctx);
        if (!nik.valid) throw new Error(`${m.nik}: ${JSON.stringify(nik.problems)}`);
        expect(nik.value).toMatchObject({ birthDate: m.birthDate, sex: m.sex, districtCode: h.villageCode.slice(0, 8) });
        niks.add(m.nik);
      }
    }
    expect(niks.size).toBe(sample.reduce((n, h) => n + h.members.length, 0));
  });

  it('a plausible composition: one head each, about four persons per household, desil 1–10 leaning low', () => {
    const persons = sample.reduce((n, h) => n + h.members.length, 0);
    expect(persons / sample.length).toBeGreaterThan(3);
    expect(persons / sample.length).toBeLessThan(5);
    expect(sample.every((h) => h.members.filter((m) => m.relation === 'KEPALA_KELUARGA').length === 1)).toBe(true);
    const low = sample.filter((h) => h.desil <= 4).length / sample.length;
    expect(low).toBeGreaterThan(0.5);
    expect(new Set(sample.map((h) => h.desil))).toEqual(new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
  });
});
