import { solveChallenge, verifySolution as altchaVerify } from 'altcha-lib/v1';
import { createChallenge, parseSolution, verifySolution } from '../../src/status-check/proof-of-work';
import { maskName } from '../../src/status-check/masking';

const KEY = 'a'.repeat(64);
const inTenMinutes = () => new Date(Date.now() + 600_000);

async function solved(key = KEY, expires = inTenMinutes()): Promise<string> {
  const c = createChallenge(key, 2000, expires);
  const found = await solveChallenge(c.challenge, c.salt, c.algorithm, c.maxnumber).promise;
  return Buffer.from(JSON.stringify({ ...c, number: found!.number })).toString('base64');
}

describe('captcha proof of work (the ALTCHA v1 format on node:crypto)', () => {
  it('altcha-lib solves our challenges, and both verifiers accept the solution', async () => {
    const payload = await solved();
    expect(verifySolution(parseSolution(payload)!, KEY)).toBe(true);
    expect(await altchaVerify(payload, KEY, true)).toBe(true);
  });

  it('refuses a wrong number, another key, an expired challenge, and a payload that is not one', async () => {
    const payload = await solved();
    const solution = parseSolution(payload)!;
    expect(verifySolution({ ...solution, number: solution.number + 1 }, KEY)).toBe(false);
    expect(verifySolution(solution, 'b'.repeat(64))).toBe(false);
    expect(verifySolution(solution, KEY, Date.now() + 601_000)).toBe(false);
    expect(verifySolution(parseSolution(await solved(KEY, new Date(Date.now() - 1000)))!, KEY)).toBe(false);
    expect(parseSolution('not base64 json')).toBeUndefined();
    expect(parseSolution(Buffer.from('{"salt":1}').toString('base64'))).toBeUndefined();
  });
});

describe('name masking for the public', () => {
  it('shows the first letters of each word and hides the rest', () => {
    expect(maskName('Budi Santoso')).toBe('Bu** Sa*****');
    expect(maskName('  SRI  wahyuni ')).toBe('S** wa*****');
    expect(maskName('Al')).toBe('A*');
  });
});

describe('rate-limit counters in fixed windows', () => {
  it('counts per key, blocks past the limit for the block duration, and starts again in a new window', async () => {
    const { FixedWindowStorage } = await import('../../src/status-check/fixed-window-storage');
    const storage = new FixedWindowStorage();
    const hit = (key: string) => storage.increment(key, 60_000, 2, 30_000, 'klien');
    expect((await hit('a')).isBlocked).toBe(false);
    expect((await hit('a')).isBlocked).toBe(false);
    const third = await hit('a');
    expect(third).toMatchObject({ isBlocked: true, timeToBlockExpire: 30 });
    expect((await hit('b')).isBlocked).toBe(false);
    jest.useFakeTimers({ now: Date.now() + 61_000 });
    try {
      expect((await hit('a')).isBlocked).toBe(false);
    } finally {
      jest.useRealTimers();
    }
  });
});
