import type { Faker } from '@faker-js/faker';
import { seededFaker } from './seeded-faker';
import { IndicatorValues } from '../eligibility/indicators';
import { Application, Member } from '../registration/application';

export interface SyntheticHousehold {
  readonly householdId: string;
  readonly kkNumber: string;
  readonly villageCode: string;
  readonly address: string;
  readonly members: readonly Member[];
  /** How well-off the household is, 1 (poorest tenth) to 10; the indicators follow it, the PMT decides. */
  readonly desil: number;
  readonly indicators: IndicatorValues;
  /** The registration case that brought it into the registry, and when that case was opened (ISO). */
  readonly caseId: string;
  readonly registeredAt: string;
  /** How many verval steps after submission its case has taken so far; undefined: all it can. */
  readonly stepsTaken?: number;
}

export interface PopulationOptions {
  readonly seed: number;
  readonly households: number;
  /** Real village codes (`PP.RR.DD.VVVV`), e.g. from idn-area-data; households are spread over them in order. */
  readonly villageCodes: readonly string[];
  /** `YYYY-MM-DD`: ages and NIK dates are relative to it; registrations fall in the year before it. */
  readonly today: string;
}

const DESIL_WEIGHTS = [16, 15, 14, 12, 10, 9, 8, 7, 5, 4]; // a registry leans to the poorest desils
const OLDEST_BIRTH_YEAR = 1930;
const DAY_MS = 86_400_000; // earlier two-digit years would read as this century in a NIK

/** The household as its registration application: what a village operator enters. */
export function applicationOf(h: SyntheticHousehold): Application {
  return {
    villageCode: h.villageCode,
    kkNumber: h.kkNumber,
    address: h.address,
    contact: {},
    members: h.members,
    declaredIndicators: h.indicators,
  };
}

/**
 * A seeded synthetic population (the same seed gives the same households): real village codes,
 * Indonesian names, NIKs and KK numbers that pass the validators and agree with each member's
 * birth date, sex and district, and a plausible composition (a head, usually a spouse, children,
 * sometimes a parent). A generator, so a million households stream in bounded memory.
 */
export function* generatePopulation(options: PopulationOptions): Generator<SyntheticHousehold> {
  const faker = seededFaker(options.seed);
  const thisYear = Number(options.today.slice(0, 4));
  const perVillage = Math.ceil(options.households / options.villageCodes.length);
  // Populations whose seeds differ modulo 5 number their NIKs and KKs in separate serial ranges,
  // so they can be loaded into one registry without two persons sharing a NIK.
  const serialBase = (options.seed % 5) * 2000;
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
      const n = (serials.get(key) ?? serialBase) + 1;
      serials.set(key, n);
      return String(n).padStart(4, '0');
    };
    // Registered some time in the year before today: nobody in the household is born after that.
    const registeredAt = new Date(Date.parse(`${options.today}T08:00:00Z`) - faker.number.int({ min: 14, max: 365 }) * DAY_MS);
    const registeredOn = registeredAt.toISOString().slice(0, 10);
    const person = (age: [number, number], sex: 'L' | 'P', relation: Member['relation'], married: boolean): Member => {
      const birthYear = Math.max(OLDEST_BIRTH_YEAR, thisYear - faker.number.int({ min: age[0], max: age[1] }));
      const birth = faker.date.between({ from: `${birthYear}-01-01`, to: `${birthYear}-12-28` });
      const birthDate = birth.toISOString().slice(0, 10) > registeredOn ? registeredOn : birth.toISOString().slice(0, 10);
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
    const desil = 1 + weightedIndex(faker.number.int(DESIL_WEIGHTS.reduce((a, b) => a + b) - 1));
    yield {
      householdId: faker.string.uuid(),
      caseId: faker.string.uuid(),
      registeredAt: registeredAt.toISOString(),
      kkNumber: `${districtDigits}${kkDate}${next(`kk${kkDate}`)}`,
      villageCode,
      address: `${faker.location.street()} No. ${faker.number.int({ min: 1, max: 200 })}, RT ${faker.number.int({ min: 1, max: 15 })}/RW ${faker.number.int({ min: 1, max: 10 })}`,
      members,
      desil,
      indicators: indicatorsOf(faker, (desil - 1) / 9),
      // About one case in seven is still on its way, stopped at some stage of verval.
      stepsTaken: faker.number.int(6) === 0 ? faker.number.int({ min: 0, max: 7 }) : undefined,
    };
  }
}

/** Indicators that follow a household's wealth (0 poorest, 1 richest), with noise: poorer homes, fewer assets. */
function indicatorsOf(faker: Faker, wealth: number): IndicatorValues {
  const chance = (p: number) => (faker.number.float() < p ? 1 : 0);
  const poor = (p: number) => chance(0.05 + 0.85 * (1 - wealth) * p);
  const owns = (p: number) => chance(0.03 + 0.9 * wealth * p);
  return {
    floorAreaPerPersonM2: Math.round(4 + 30 * wealth + faker.number.int(6)),
    earthFloor: poor(0.6),
    poorWalls: poor(0.8),
    poorRoof: poor(0.5),
    noCleanWater: poor(0.7),
    noPrivateToilet: poor(0.7),
    electricityUnder900VA: poor(1),
    ownsCar: owns(0.5),
    ownsMotorcycle: owns(1),
    ownsLand: owns(0.7),
    livestockUnits: owns(0.3) * faker.number.int({ min: 1, max: 4 }),
    savingsOver5Million: owns(0.8),
    headUnemployed: poor(0.5),
    monthlyIncomeMillions: Math.round((0.5 + 9 * wealth * wealth + faker.number.float({ max: 1 })) * 10) / 10,
    headNoSecondarySchool: poor(0.9),
  };
}

function weightedIndex(roll: number): number {
  for (let i = 0, sum = 0; i < DESIL_WEIGHTS.length; i++) {
    sum += DESIL_WEIGHTS[i];
    if (roll < sum) return i;
  }
  return DESIL_WEIGHTS.length - 1;
}
