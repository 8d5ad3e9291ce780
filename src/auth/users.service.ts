import { Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { levelOfCode } from '../reference/idn-area-data';
import { RegionDirectory } from '../reference/region-directory';
import { reject, Rejection } from '../shared/decider';
import { pageOf } from '../shared/http/page.dto';
import { Principal, Role, ROLE_REGION_LEVEL, STAFF_ROLES } from './roles';

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

const MIN_PASSWORD_LENGTH = 10;

/** Staff accounts: argon2id hashes, one role and one region each. */
@Injectable()
export class UsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly regions: RegionDirectory,
  ) {}

  /** Why a new user cannot be created as given, if anything. */
  problemsWith(user: NewUser): Rejection | undefined {
    if (!STAFF_ROLES.includes(user.role))
      return reject('rule', 'ROLE_UNKNOWN', { id: `Peran ${user.role} tidak dikenal`, en: `Unknown role ${user.role}` });
    if (!/^[a-z0-9._-]{3,40}$/.test(user.username)) {
      return reject('rule', 'USERNAME_FORMAT', {
        id: 'Nama pengguna 3–40 huruf kecil, angka, titik, garis',
        en: 'Username: 3–40 lower-case letters, digits, . _ -',
      });
    }
    if (user.password.length < MIN_PASSWORD_LENGTH) {
      return reject('rule', 'PASSWORD_TOO_SHORT', {
        id: `Kata sandi minimal ${MIN_PASSWORD_LENGTH} karakter`,
        en: `Password must have at least ${MIN_PASSWORD_LENGTH} characters`,
      });
    }
    const level = ROLE_REGION_LEVEL[user.role];
    const regionOk =
      level === 'nasional'
        ? user.regionCode === ''
        : levelOfCode(user.regionCode) === level && this.regions.get(user.regionCode) !== undefined;
    if (!regionOk) {
      return reject('rule', 'REGION_FOR_ROLE', {
        id: `Peran ${user.role} membutuhkan kode wilayah tingkat ${level} yang terdaftar`,
        en: `Role ${user.role} needs a known region code at level ${level}`,
      });
    }
    return undefined;
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
