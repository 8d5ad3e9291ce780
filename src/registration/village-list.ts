import { RowProblem } from '../dukcapil/dukcapil-extract';
import { checkKk, checkNik, IdentifierContext } from '../reference/identifiers';
import { Application, MARITAL_STATUSES, MaritalStatus, Member, Relation, RELATIONS } from './application';

/** A village's list of households to register: one row per person, the rows of one KK together. */
export const VILLAGE_LIST_COLUMNS = [
  'no_kk',
  'alamat',
  'nik',
  'nama_lengkap',
  'tanggal_lahir',
  'jenis_kelamin',
  'hubungan',
  'status_kawin',
] as const;

export interface ListedHousehold {
  /** The file's line numbers of its rows (1 is the header). */
  readonly lines: readonly number[];
  readonly application: Application;
}

/**
 * Groups a village list's rows into households and checks every row: a household with one bad
 * row is refused whole (each of its bad rows named by line and column, never by value) and the
 * others go ahead. Rows of one KK must be consecutive, so a list of any length passes through
 * with one household's rows in memory at a time (and the KK numbers seen, to catch one that
 * comes back later in the file).
 */
export async function* householdsOfList(
  records: AsyncIterable<Record<string, string>>,
  villageCode: string,
  ctx: IdentifierContext,
): AsyncGenerator<{ household?: ListedHousehold; problems: RowProblem[] }> {
  let current:
    { kk: string; lines: number[]; members: Member[]; address: string; head: boolean; problems: RowProblem[] } | undefined;
  const finished = new Set<string>();
  const flush = () => {
    if (!current) return undefined;
    const done = current;
    current = undefined;
    finished.add(done.kk);
    const problems = [...done.problems];
    if (!done.head) problems.push({ line: done.lines[0], column: 'hubungan', code: 'HEAD_MISSING' });
    if (problems.length) return { problems };
    const application = {
      villageCode,
      kkNumber: done.kk,
      address: done.address,
      contact: {},
      members: done.members,
      declaredIndicators: {},
    };
    return { household: { lines: done.lines, application }, problems };
  };
  let line = 1;
  for await (const r of records) {
    line += 1;
    const kk = (r.no_kk ?? '').trim();
    if (current && current.kk !== kk) yield flush()!;
    if (!current) current = { kk, lines: [], members: [], address: (r.alamat ?? '').trim(), head: false, problems: [] };
    current.head ||= r.hubungan === 'KEPALA_KELUARGA';
    current.lines.push(line);
    if (finished.has(kk)) current.problems.push({ line, column: 'no_kk', code: 'KK_ROWS_APART' });
    const { member, problems } = memberOfRow(r, line, ctx);
    current.problems.push(...problems);
    if (member) current.members.push(member);
  }
  const last = flush();
  if (last) yield last;
}

function memberOfRow(
  r: Record<string, string>,
  line: number,
  ctx: IdentifierContext,
): { member?: Member; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const add = (column: string, code: string): void => void problems.push({ line, column, code });
  const kk = checkKk(r.no_kk ?? '', ctx);
  if (!kk.valid) add('no_kk', kk.problems[0].code);
  if (!r.alamat) add('alamat', 'REQUIRED');
  const nik = checkNik(r.nik ?? '', ctx);
  if (!nik.valid) add('nik', nik.problems[0].code);
  if (!r.nama_lengkap) add('nama_lengkap', 'REQUIRED');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(r.tanggal_lahir ?? '') || (nik.valid && nik.value.birthDate !== r.tanggal_lahir))
    add('tanggal_lahir', 'BIRTH_DATE');
  if (r.jenis_kelamin !== 'L' && r.jenis_kelamin !== 'P') add('jenis_kelamin', 'SEX');
  else if (nik.valid && nik.value.sex !== r.jenis_kelamin) add('jenis_kelamin', 'SEX_NOT_AS_NIK');
  if (!RELATIONS.includes(r.hubungan as Relation)) add('hubungan', 'RELATION');
  if (!MARITAL_STATUSES.includes(r.status_kawin as MaritalStatus)) add('status_kawin', 'MARITAL_STATUS');
  if (problems.length) return { problems };
  const member: Member = {
    nik: r.nik,
    fullName: r.nama_lengkap,
    birthDate: r.tanggal_lahir,
    sex: r.jenis_kelamin as 'L' | 'P',
    relation: r.hubungan as Relation,
    maritalStatus: r.status_kawin as MaritalStatus,
  };
  return { member, problems };
}
