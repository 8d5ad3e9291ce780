import { randomUUID } from 'node:crypto';
import { Enrolments } from '../../src/programs/enrolments.service';
import { ProgramCaps, ProgramCatalogue } from '../../src/programs/program-catalogue';
import { periodOf, ProgramRule } from '../../src/programs/program-rules';
import { actor, establishedHousehold } from '../registration/fixtures';
import { createStoreFixture, StoreFixture } from '../support/database';

const rule = (code: string): ProgramRule => ({
  code,
  version: '1',
  effectiveFrom: '2020-01-01',
  name: { id: code, en: code },
  maxDesil: 10,
  classes: [],
  anyOf: [],
});

describe('caps: how many programs one household may hold (against a real event store)', () => {
  let fx: StoreFixture;
  beforeAll(async () => (fx = await createStoreFixture()));
  afterAll(() => fx.close());

  it('holds the programs first in priority up to the cap, and no more', async () => {
    const enrolments = new Enrolments(
      fx.store,
      new ProgramCatalogue([rule('AAA'), rule('BBB'), rule('CCC')]),
      new ProgramCaps({ maxProgramsPerHousehold: 2, priority: ['CCC', 'AAA'] }),
    );
    const period = periodOf(new Date().toISOString().slice(0, 10));
    for (const code of ['AAA', 'BBB', 'CCC']) await enrolments.setQuota(code, '32.04', period, 10, actor('kemensos'));
    const householdId = randomUUID();
    await fx.store.append(`household-${householdId}`, [establishedHousehold(householdId)], { expectedVersion: 'no_stream' });
    const [established] = await fx.store.readStream(`household-${householdId}`);
    await enrolments.evaluateHousehold(householdId, established);
    const holds = async (code: string) => (await enrolments.list(code, '32.04', period)).state.enrolled.has(householdId);
    expect([await holds('CCC'), await holds('AAA'), await holds('BBB')]).toEqual([true, true, false]);
    // Evaluating again keeps what it holds (a held program never counts against itself).
    await enrolments.evaluateHousehold(householdId, established);
    expect([await holds('CCC'), await holds('AAA'), await holds('BBB')]).toEqual([true, true, false]);
  });
});
