import { checkKk, checkNik, parseDdMmYy } from '../../src/reference/identifiers';

const ctx = { districtExists: (code: string) => code === '32.04.10', today: '2026-11-24' };
const problems = (r: ReturnType<typeof checkNik> | ReturnType<typeof checkKk>): string[] =>
  r.valid ? [] : r.problems.map((p) => p.code);

describe('NIK: district(6) + birth date DDMMYY (women: day + 40) + serial(4)', () => {
  it('reads a man’s NIK: district, birth date, sex', () => {
    expect(checkNik('3204101203850001', ctx)).toEqual({
      valid: true,
      value: { districtCode: '32.04.10', birthDate: '1985-03-12', sex: 'L', serial: '0001' },
    });
  });

  it('reads a woman’s NIK: 40 added to the day', () => {
    expect(checkNik('3204104507880002', ctx)).toMatchObject({ valid: true, value: { birthDate: '1988-07-05', sex: 'P' } });
    expect(checkNik('3204106902000003', ctx)).toMatchObject({ valid: true, value: { birthDate: '2000-02-29', sex: 'P' } });
  });

  it('chooses the century that puts the birth date on or before today', () => {
    expect(checkNik('3204102011260001', ctx)).toMatchObject({ value: { birthDate: '2026-11-20' } });
    expect(checkNik('3204102511260001', ctx)).toMatchObject({ value: { birthDate: '1926-11-25' } });
  });

  it.each([
    ['320410120385000', 'NIK_FORMAT'],
    ['32041012038500011', 'NIK_FORMAT'],
    ['32041012038500a1', 'NIK_FORMAT'],
    ['9904101203850001', 'NIK_DISTRICT'],
    ['3204103203850001', 'NIK_BIRTH_DATE'], // day 32
    ['3204107203850001', 'NIK_BIRTH_DATE'], // day 72: a woman's 32nd
    ['3204104002850001', 'NIK_BIRTH_DATE'], // day 40: neither a man's nor a woman's date
    ['3204102902010001', 'NIK_BIRTH_DATE'], // 29 Feb 2001
    ['3204101213850001', 'NIK_BIRTH_DATE'], // month 13
    ['3204101203850000', 'NIK_SERIAL'],
  ])('%s is refused with %s', (nik, code) => {
    expect(problems(checkNik(nik, ctx))).toContain(code);
  });

  it('lists every problem at once, each with a message in Bahasa Indonesia and English', () => {
    const r = checkNik('9904103203850000', ctx);
    expect(problems(r)).toEqual(['NIK_DISTRICT', 'NIK_BIRTH_DATE', 'NIK_SERIAL']);
    if (!r.valid) for (const p of r.problems) expect(p.message.id && p.message.en).toBeTruthy();
  });
});

describe('No. KK: district(6) + issue date DDMMYY + serial(4)', () => {
  it('reads a family card number', () => {
    expect(checkKk('3204100101200001', ctx)).toEqual({
      valid: true,
      value: { districtCode: '32.04.10', issueDate: '2020-01-01', serial: '0001' },
    });
  });

  it.each([
    ['32041001012000', 'KK_FORMAT'],
    ['9904100101200001', 'KK_DISTRICT'],
    ['3204104101200001', 'KK_ISSUE_DATE'], // no +40 on a family card
    ['3204103102200001', 'KK_ISSUE_DATE'],
  ])('%s is refused with %s', (kk, code) => {
    expect(problems(checkKk(kk, ctx))).toContain(code);
  });
});

describe('DDMMYY dates', () => {
  it('are real calendar dates only', () => {
    expect(parseDdMmYy(29, 2, 24, '2026-11-24')).toBe('2024-02-29');
    expect(parseDdMmYy(29, 2, 23, '2026-11-24')).toBeUndefined();
    expect(parseDdMmYy(0, 1, 20, '2026-11-24')).toBeUndefined();
  });
});
