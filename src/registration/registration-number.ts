import { randomInt } from 'node:crypto';

// Crockford's base32 without I, L, O, U: easy to read out over the phone.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The number an applicant uses to track the case: `REG-<village>-<yymmdd>-<6 random>`, e.g.
 * `REG-3204102001-261124-7K3Q9X`. Random, so it cannot be guessed from a neighbour's number
 * (`pick` is only replaced by the seeded synthetic population).
 */
export function newRegistrationNumber(villageCode: string, at: string, pick: (n: number) => number = randomInt): string {
  const random = Array.from({ length: 6 }, () => ALPHABET[pick(ALPHABET.length)]).join('');
  return `REG-${villageCode.replace(/\./g, '')}-${at.slice(2, 4)}${at.slice(5, 7)}${at.slice(8, 10)}-${random}`;
}

export const REGISTRATION_NUMBER_PATTERN = /^REG-\d{10}-\d{6}-[0-9A-HJKMNP-TV-Z]{6}$/;
