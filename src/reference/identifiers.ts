import { BilingualText } from '../shared/decider';

/** A reason an identifier is not valid, with a machine code and a message for the user. */
export interface IdentifierProblem {
  readonly code: string;
  readonly message: BilingualText;
}

export interface ParsedNik {
  readonly districtCode: string;
  readonly birthDate: string;
  readonly sex: 'L' | 'P';
  readonly serial: string;
}

export interface ParsedKk {
  readonly districtCode: string;
  readonly issueDate: string;
  readonly serial: string;
}

export type IdentifierCheck<T> =
  { readonly valid: true; readonly value: T } | { readonly valid: false; readonly problems: IdentifierProblem[] };

/** What the validators need to know about the world: real district codes and today's date. */
export interface IdentifierContext {
  readonly districtExists: (code: string) => boolean;
  /** `YYYY-MM-DD`; decides the century of a two-digit year and rejects dates in the future. */
  readonly today: string;
}

const problem = (code: string, id: string, en: string): IdentifierProblem => ({ code, message: { id, en } });

function digitsProblem(label: string, value: string): IdentifierProblem | undefined {
  if (!/^\d{16}$/.test(value)) {
    return problem(
      `${label}_FORMAT`,
      `${label === 'NIK' ? 'NIK' : 'No. KK'} harus 16 digit angka`,
      `${label === 'NIK' ? 'NIK' : 'Family card number'} must be 16 digits`,
    );
  }
  return undefined;
}

/** `PPRRDD` → `PP.RR.DD`, the Kemendagri district code. */
function districtCodeOf(digits: string): string {
  return `${digits.slice(0, 2)}.${digits.slice(2, 4)}.${digits.slice(4, 6)}`;
}

/** A DDMMYY date as ISO, in the latest century that puts it on or before today; undefined if not a real date. */
export function parseDdMmYy(day: number, month: number, yy: number, today: string): string | undefined {
  const mmdd = `${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  let year = Number(today.slice(0, 2)) * 100 + yy;
  if (`${year}-${mmdd}` > today) year -= 100;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12 || date.getUTCDate() !== day || date.getUTCMonth() !== month - 1) return undefined;
  return `${String(year).padStart(4, '0')}-${mmdd}`;
}

/**
 * NIK: province(2) regency(2) district(2), birth date DDMMYY with 40 added to the day for women,
 * serial(4) not 0000. The district must be real.
 */
export function checkNik(nik: string, ctx: IdentifierContext): IdentifierCheck<ParsedNik> {
  const format = digitsProblem('NIK', nik);
  if (format) return { valid: false, problems: [format] };
  const problems: IdentifierProblem[] = [];
  const districtCode = districtCodeOf(nik);
  if (!ctx.districtExists(districtCode)) {
    problems.push(
      problem(
        'NIK_DISTRICT',
        `Kode wilayah ${districtCode} pada NIK bukan kecamatan yang terdaftar`,
        `Region code ${districtCode} in the NIK is not a known district`,
      ),
    );
  }
  const rawDay = Number(nik.slice(6, 8));
  const sex = rawDay > 40 ? 'P' : 'L';
  const birthDate = parseDdMmYy(
    sex === 'P' ? rawDay - 40 : rawDay,
    Number(nik.slice(8, 10)),
    Number(nik.slice(10, 12)),
    ctx.today,
  );
  if (!birthDate) {
    problems.push(
      problem(
        'NIK_BIRTH_DATE',
        'Tanggal lahir pada NIK tidak valid (perempuan: tanggal + 40)',
        'The birth date in the NIK is not a real date (women: day + 40)',
      ),
    );
  }
  const serial = nik.slice(12);
  if (serial === '0000')
    problems.push(problem('NIK_SERIAL', 'Nomor urut NIK tidak boleh 0000', 'The NIK serial number must not be 0000'));
  if (problems.length > 0) return { valid: false, problems };
  return { valid: true, value: { districtCode, birthDate: birthDate!, sex, serial } };
}

/** No. KK: district code(6) + issue date DDMMYY (not in the future) + serial(4). */
export function checkKk(kk: string, ctx: IdentifierContext): IdentifierCheck<ParsedKk> {
  const format = digitsProblem('KK', kk);
  if (format) return { valid: false, problems: [format] };
  const problems: IdentifierProblem[] = [];
  const districtCode = districtCodeOf(kk);
  if (!ctx.districtExists(districtCode)) {
    problems.push(
      problem(
        'KK_DISTRICT',
        `Kode wilayah ${districtCode} pada No. KK bukan kecamatan yang terdaftar`,
        `Region code ${districtCode} in the family card number is not a known district`,
      ),
    );
  }
  const issueDate = parseDdMmYy(Number(kk.slice(6, 8)), Number(kk.slice(8, 10)), Number(kk.slice(10, 12)), ctx.today);
  if (!issueDate)
    problems.push(
      problem(
        'KK_ISSUE_DATE',
        'Tanggal terbit pada No. KK tidak valid',
        'The issue date in the family card number is not a real date',
      ),
    );
  if (problems.length > 0) return { valid: false, problems };
  return { valid: true, value: { districtCode, issueDate: issueDate!, serial: kk.slice(12) } };
}
