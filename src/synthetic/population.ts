import { base, en, Faker, id_ID } from '@faker-js/faker';
import { Member } from '../registration/application';

export interface SyntheticHousehold {
  readonly householdId: string;
  readonly kkNumber: string;
  readonly villageCode: string;
  readonly address: string;
  readonly members: readonly Member[];
  readonly desil: number;
}

export interface PopulationOptions {
  readonly seed: number;
  readonly households: number;
  /** Real village codes (`PP.RR.DD.VVVV`), e.g. from idn-area-data; households are spread over them in order. */
  readonly villageCodes: readonly string[];
  /** `YYYY-MM-DD`: ages and NIK dates are relative to it. */
  readonly today: string;
}

const DESIL_WEIGHTS = [16, 15, 14, 12, 10, 9, 8, 7, 5, 4]; // a registry leans to the poorest desils
const OLDEST_BIRTH_YEAR = 1930; // earlier two-digit years would read as this century in a NIK

/**
 * A seeded synthetic population (the same seed gives the same households): real village codes,
 * Indonesian names, NIKs and KK numbers that pass the validators and agree with each member's
 * birth date, sex and district, and a plausible composition (a head, usually a spouse, children,
 * sometimes a parent). A generator, so a million households stream in bounded memory.
 */
export function* generatePopulation(options: PopulationOptions): Generator<SyntheticHousehold> {
  const faker = new Faker({ locale: [id_ID, en, base], seed: options.seed });
  const thisYear = Number(options.today.slice(0, 4));
  const perVillage = Math.ceil(options.households / options.villageCodes.length);
  let serials = new Map<string, number>();
  let district = '';
  for (let i = 0; i < options.households; i++) {
    const villageCode = options.villageCodes[Math.floor(i / perVillage)];
    const districtDigits = villageCode.slice(0, 8).replace(/\./g, '');
    if (districtDigits !== district) {
      district = districtDigits;
      serials = new Map(); // serials are unique per district and date: only the current district's are kept
    }
    const next = (key: string) => {
      const n = (serials.get(key) ?? 0) + 1;
      serials.set(key, n);
      return String(n).padStart(4, '0');
    };
    const person = (age: [number, number], sex: 'L' | 'P', relation: Member['relation'], married: boolean): Member => {
      const birthYear = Math.max(OLDEST_BIRTH_YEAR, thisYear - faker.number.int({ min: age[0], max: age[1] }));
      const birth = faker.date.between({ from: `${birthYear}-01-01`, to: `${birthYear}-12-28` });
      const birthDate = birth.toISOString().slice(0, 10) > options.today ? options.today : birth.toISOString().slice(0, 10);
      const [y, m, d] = birthDate.split('-');
      const ddmmyy = `${String(Number(d) + (sex === 'P' ? 40 : 0)).padStart(2, '0')}${m}${y.slice(2)}`;
      const sexName = sex === 'L' ? 'male' : 'female';
      return {
        nik: `${districtDigits}${ddmmyy}${next(ddmmyy)}`,
        fullName: `${faker.person.firstName(sexName)} ${faker.person.lastName(sexName)}`.toUpperCase(),
        birthDate,
        sex,
        relation,
        maritalStatus: married ? 'KAWIN' : 'BELUM_KAWIN',
      };
    };
    const headSex = faker.number.int(9) < 8 ? 'L' : 'P';
    const married = faker.number.int(9) < 8;
    const members: Member[] = [person([22, 75], headSex, 'KEPALA_KELUARGA', married)];
    if (married) members.push(person([20, 70], headSex === 'L' ? 'P' : 'L', headSex === 'L' ? 'ISTRI' : 'SUAMI', true));
    for (let c = faker.number.int({ min: 0, max: 4 }); c > 0; c--)
      members.push(person([0, 20], faker.number.int(1) ? 'L' : 'P', 'ANAK', false));
    if (faker.number.int(9) === 0) members.push(person([70, 95], 'P', 'ORANG_TUA', false));
    const issued = faker.date
      .between({ from: '2005-01-01', to: `${thisYear - 1}-12-28` })
      .toISOString()
      .slice(0, 10);
    const kkDate = `${issued.slice(8, 10)}${issued.slice(5, 7)}${issued.slice(2, 4)}`;
    yield {
      householdId: faker.string.uuid(),
      kkNumber: `${districtDigits}${kkDate}${next(`kk${kkDate}`)}`,
      villageCode,
      address: `${faker.location.street()} No. ${faker.number.int({ min: 1, max: 200 })}, RT ${faker.number.int({ min: 1, max: 15 })}/RW ${faker.number.int({ min: 1, max: 10 })}`,
      members,
      desil: 1 + weightedIndex(faker.number.int(DESIL_WEIGHTS.reduce((a, b) => a + b) - 1)),
    };
  }
}

function weightedIndex(roll: number): number {
  for (let i = 0, sum = 0; i < DESIL_WEIGHTS.length; i++) {
    sum += DESIL_WEIGHTS[i];
    if (roll < sum) return i;
  }
  return DESIL_WEIGHTS.length - 1;
}
