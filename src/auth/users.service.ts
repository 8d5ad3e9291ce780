import { Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { levelOfCode } from '../reference/idn-area-data';
import { RegionDirectory } from '../reference/region-directory';
import { reject, Rejection } from '../shared/decider';
import { pageOf } from '../shared/http/page.dto';
import { Principal, Role, ROLE_REGION_LEVEL, STAFF_ROLES } from './roles';
import { SessionsService } from './sessions.service';

export interface NewUser {
  readonly username: string;
  readonly displayName: string;
  readonly password: string;
  readonly role: Role;
  readonly regionCode: string;
}

export interface UserView {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly regionCode: string;
  readonly active: boolean;
}

export interface UserChange {
  readonly role?: Role;
  readonly regionCode?: string;
  readonly displayName?: string;
  readonly active?: boolean;
}

const MIN_PASSWORD_LENGTH = 10;

function passwordProblem(password: string): Rejection | undefined {
  if (password.length >= MIN_PASSWORD_LENGTH) return undefined;
  return reject('rule', 'PASSWORD_TOO_SHORT', {
    id: `Kata sandi minimal ${MIN_PASSWORD_LENGTH} karakter`,
    en: `Password must have at least ${MIN_PASSWORD_LENGTH} characters`,
  });
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Staff accounts: argon2id hashes, one role and one region each. */
@Injectable()
export class UsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly regions: RegionDirectory,
    private readonly sessions: SessionsService,
  ) {}

  /** Why a new user cannot be created as given, if anything. */
  problemsWith(user: NewUser): Rejection | undefined {
    return this.accountProblems(user) ?? passwordProblem(user.password) ?? this.regionProblem(user.role, user.regionCode);
  }

  private accountProblems(user: Pick<NewUser, 'role' | 'username'>): Rejection | undefined {
    if (!STAFF_ROLES.includes(user.role))
      return reject('rule', 'ROLE_UNKNOWN', { id: `Peran ${user.role} tidak dikenal`, en: `Unknown role ${user.role}` });
    if (!/^[a-z0-9._-]{3,40}$/.test(user.username)) {
      return reject('rule', 'USERNAME_FORMAT', {
        id: 'Nama pengguna 3–40 huruf kecil, angka, titik, garis',
        en: 'Username: 3–40 lower-case letters, digits, . _ -',
      });
    }
    return undefined;
  }

  private regionProblem(role: Role, regionCode: string): Rejection | undefined {
    if (!STAFF_ROLES.includes(role))
      return reject('rule', 'ROLE_UNKNOWN', { id: `Peran ${role} tidak dikenal`, en: `Unknown role ${role}` });
    const level = ROLE_REGION_LEVEL[role];
    const regionOk =
      level === 'nasional' ? regionCode === '' : levelOfCode(regionCode) === level && this.regions.get(regionCode) !== undefined;
    if (!regionOk) {
      return reject('rule', 'REGION_FOR_ROLE', {
        id: `Peran ${role} membutuhkan kode wilayah tingkat ${level} yang terdaftar`,
        en: `Role ${role} needs a known region code at level ${level}`,
      });
    }
    return undefined;
  }

  async get(id: string): Promise<UserView | undefined> {
    if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
    const [row] = await this.dataSource.query(
      `select id, username, display_name as "displayName", role, region_code as "regionCode", active from users where id = $1`,
      [id],
    );
    return row;
  }

  /**
   * An administrator changes a user's role, region, name or whether it is active. A change of role,
   * region or activity ends the user's sessions at once: their tokens carry the old role and region.
   */
  async update(id: string, change: UserChange): Promise<UserView | Rejection> {
    const user = await this.get(id);
    if (!user) return reject('not_found', 'USER_NOT_FOUND', { id: 'Pengguna tidak ditemukan', en: 'User not found' });
    const next = { ...user, ...definedOnly(change) };
    // A national role has no region: the form may leave the code out when it changes to one.
    if (change.regionCode === undefined && ROLE_REGION_LEVEL[next.role] === 'nasional') next.regionCode = '';
    const problem = this.regionProblem(next.role, next.regionCode);
    if (problem) return problem;
    await this.dataSource.transaction(async (tx) => {
      await tx.query('update users set role = $2, region_code = $3, display_name = $4, active = $5 where id = $1', [
        id,
        next.role,
        next.regionCode,
        next.displayName,
        next.active,
      ]);
      if (next.role !== user.role || next.regionCode !== user.regionCode || next.active !== user.active)
        await this.sessions.revokeAllOf(id, undefined, tx);
    });
    return next;
  }

  /** A new password set by an administrator (a reset) or by the user; every other session ends. */
  async setPassword(id: string, password: string, keepSession?: string): Promise<Rejection | undefined> {
    const problem = passwordProblem(password);
    if (problem) return problem;
    const passwordHash = await hash(password);
    return this.dataSource.transaction(async (tx) => {
      const rows = await tx.query('update users set password_hash = $2 where id = $1 returning id', [id, passwordHash]);
      if (rows.length === 0)
        return reject('not_found', 'USER_NOT_FOUND', { id: 'Pengguna tidak ditemukan', en: 'User not found' });
      await this.sessions.revokeAllOf(id, keepSession, tx);
      return undefined;
    });
  }

  /** The user's own change: the current password first. */
  async changeOwnPassword(id: string, current: string, next: string, keepSession?: string): Promise<Rejection | undefined> {
    const [row] = await this.dataSource.query('select password_hash from users where id = $1 and active', [id]);
    if (!row || !(await verify(row.password_hash, current)))
      return reject('forbidden', 'PASSWORD_WRONG', { id: 'Kata sandi saat ini salah', en: 'The current password is wrong' });
    if (current === next)
      return reject('rule', 'PASSWORD_UNCHANGED', {
        id: 'Kata sandi baru harus berbeda',
        en: 'The new password must differ from the current one',
      });
    return this.setPassword(id, next, keepSession);
  }

  async create(user: NewUser): Promise<UserView | Rejection> {
    const problem = this.problemsWith(user);
    if (problem) return problem;
    const id = randomUUID();
    const passwordHash = await hash(user.password); // argon2id, the library's default (OWASP parameters)
    const rows = await this.dataSource.query(
      `insert into users (id, username, display_name, password_hash, role, region_code) values ($1, $2, $3, $4, $5, $6)
       on conflict do nothing returning id`,
      [id, user.username, user.displayName, passwordHash, user.role, user.regionCode],
    );
    if (rows.length === 0)
      return reject('conflict', 'USERNAME_TAKEN', { id: 'Nama pengguna sudah dipakai', en: 'Username already taken' });
    return {
      id,
      username: user.username,
      displayName: user.displayName,
      role: user.role,
      regionCode: user.regionCode,
      active: true,
    };
  }

  /** The principal for a correct username and password of an active user. */
  async verify(username: string, password: string): Promise<Principal | undefined> {
    const [row] = await this.dataSource.query(
      'select id, password_hash, role, region_code, active from users where lower(username) = lower($1)',
      [username],
    );
    // Hash anyway when the user is unknown, so timing does not reveal which usernames exist.
    const ok = row ? await verify(row.password_hash, password) : (await hash(password), false);
    if (!ok || !row.active) return undefined;
    return { userId: row.id, role: row.role, region: row.region_code };
  }

  /** An active user by username, for assigning work. */
  async byUsername(username: string): Promise<UserView | undefined> {
    const [row] = await this.dataSource.query(
      `select id, username, display_name as "displayName", role, region_code as "regionCode", active
       from users where lower(username) = lower($1) and active`,
      [username],
    );
    return row;
  }

  /** Usernames by user id, for showing who acted (ids that are not users, e.g. an applicant, are left out). */
  async usernames(ids: Iterable<string>): Promise<Record<string, string>> {
    const uuids = [...new Set(ids)].filter((id) => /^[0-9a-f-]{36}$/.test(id));
    if (uuids.length === 0) return {};
    const rows: Array<{ id: string; username: string }> = await this.dataSource.query(
      'select id::text, username from users where id = any($1::uuid[])',
      [uuids],
    );
    return Object.fromEntries(rows.map((r) => [r.id, r.username]));
  }

  async count(): Promise<number> {
    const [{ n }] = await this.dataSource.query('select count(*)::int as n from users');
    return n;
  }

  async list(page: number, pageSize: number): Promise<{ items: UserView[]; total: number }> {
    const rows = await this.dataSource.query(
      `select id, username, display_name as "displayName", role, region_code as "regionCode", active, count(*) over ()::int as total
       from users order by username limit $1 offset $2`,
      [pageSize, (page - 1) * pageSize],
    );
    return pageOf<UserView>(rows);
  }
}
