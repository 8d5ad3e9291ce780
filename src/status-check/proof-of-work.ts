import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/**
 * The ALTCHA proof-of-work format (v1): the browser finds `number` with
 * sha256(salt + number) = challenge; the server signed the challenge with an HMAC and put the
 * expiry in the salt. Written on node:crypto because altcha-lib's WebCrypto path cost about
 * 0.3 ms per challenge here (a key import per call), a third of a status check's time; the
 * tests check both ways that altcha-lib's solver and verifier agree with this.
 */
export interface Challenge {
  readonly algorithm: 'SHA-256';
  readonly challenge: string;
  readonly maxnumber: number;
  readonly salt: string;
  readonly signature: string;
}

export interface Solution {
  readonly algorithm: string;
  readonly challenge: string;
  readonly number: number;
  readonly salt: string;
  readonly signature: string;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const sign = (key: string, challenge: string): string => createHmac('sha256', key).update(challenge).digest('hex');

export function createChallenge(hmacKey: string, maxNumber: number, expiresAt: Date): Challenge {
  // The trailing '&' ends the parameters, so none can be spliced onto the salt (as altcha-lib does).
  const salt = `${randomBytes(12).toString('hex')}?expires=${Math.floor(expiresAt.getTime() / 1000)}&`;
  const challenge = sha256(salt + randomInt(0, maxNumber + 1));
  return { algorithm: 'SHA-256', challenge, maxnumber: maxNumber, salt, signature: sign(hmacKey, challenge) };
}

/** The solution in the widget's base64 payload, if it is one. */
export function parseSolution(payload: string): Solution | undefined {
  try {
    const s = JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as Solution;
    const shaped =
      typeof s?.salt === 'string' &&
      typeof s.challenge === 'string' &&
      typeof s.signature === 'string' &&
      Number.isInteger(s.number);
    return shaped ? s : undefined;
  } catch {
    return undefined;
  }
}

/** When the challenge expires (ms), or undefined when it names no expiry. */
export function expiryOf(solution: Solution): number | undefined {
  const expires = Number(new URLSearchParams(solution.salt.split('?')[1] ?? '').get('expires'));
  return expires > 0 ? expires * 1000 : undefined;
}

/** True when the number solves the challenge, the signature is ours and the challenge has not expired. */
export function verifySolution(solution: Solution, hmacKey: string, now = Date.now()): boolean {
  const expires = expiryOf(solution);
  if (solution.algorithm !== 'SHA-256' || expires === undefined || expires < now) return false;
  if (sha256(solution.salt + solution.number) !== solution.challenge) return false;
  const expected = Buffer.from(sign(hmacKey, solution.challenge), 'hex');
  const given = Buffer.from(solution.signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
