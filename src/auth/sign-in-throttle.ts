import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Settings, SETTINGS } from '../config/settings.module';
import { Clock, CLOCK } from '../shared/clock';
import { sha256Hex } from './tokens.service';

/** Counters of a quiet key start again after this long without an attempt. */
const FORGET_AFTER_SECONDS = 24 * 3600;

/**
 * Password guessing is throttled per account and per client address, in PostgreSQL so that every
 * app instance shares the counters and a restart keeps them. Each attempt is counted BEFORE the
 * password is checked, in one atomic statement, so a burst of parallel guesses gets no more tries
 * than a sequence. After the free attempts each next try must wait, the wait doubling per attempt
 * (1 s, 2 s, 4 s … up to the maximum); a success clears the account's counter. The address
 * counter is not cleared by a success, so one valid account does not reset an attacker's budget.
 */
@Injectable()
export class SignInThrottle {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(SETTINGS) private readonly settings: Settings,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Counts one attempt for the username and the address. Returns the seconds to wait when either
   * is still locked (the attempt is then refused unchecked and not counted), or 0 to go ahead.
   */
  async attempt(username: string, address: string): Promise<number> {
    const { perAccount, perAddress, maxDelaySeconds } = this.settings.config.auth.throttle;
    const now = this.clock.now();
    const free = new Map([
      [accountKey(username), perAccount],
      [addressKey(address), perAddress],
    ]);
    const keys = [...free.keys()].sort(); // one lock order, so two attempts never deadlock
    return this.dataSource.transaction(async (tx) => {
      await tx.query(
        `insert into sign_in_throttle (key, attempts, last_attempt_at, locked_until)
         select k, 0, $2::timestamptz, $2::timestamptz from unnest($1::text[]) k on conflict (key) do nothing`,
        [keys, now.toISOString()],
      );
      // The row locks serialise attempts on the same account or address across every instance.
      const rows: Array<{ key: string; attempts: number; last: Date; until: Date }> = await tx.query(
        `select key, attempts, last_attempt_at as last, locked_until as until
         from sign_in_throttle where key = any($1::text[]) order by key for update`,
        [keys],
      );
      // Only a lock that an attempt over the limit set counts (until > last attempt): an unlocked
      // row's `until` is its last attempt, which a clock stepped back would otherwise read as a lock.
      const locked = rows.filter((r) => r.until.getTime() > r.last.getTime());
      const wait = Math.max(0, ...locked.map((r) => Math.ceil((r.until.getTime() - now.getTime()) / 1000)));
      if (wait > 0) return wait; // refused unchecked and not counted
      for (const row of rows) {
        const fresh = now.getTime() - row.last.getTime() > FORGET_AFTER_SECONDS * 1000;
        const attempts = (fresh ? 0 : row.attempts) + 1;
        const over = attempts - free.get(row.key)!;
        const lockSeconds = over >= 0 ? Math.min(maxDelaySeconds, 2 ** Math.min(over, 30)) : 0;
        await tx.query(
          `update sign_in_throttle set attempts = $2, last_attempt_at = $3::timestamptz,
             locked_until = $3::timestamptz + make_interval(secs => $4) where key = $1`,
          [row.key, attempts, now.toISOString(), lockSeconds],
        );
      }
      return 0;
    });
  }

  /**
   * A correct password: the account starts afresh, and the address gets back the attempt it just
   * spent (an office behind one address signs in many times a day), dropping a lock that attempt
   * set. Failures stay counted, so a valid account does not buy an attacker more guesses.
   */
  async succeeded(username: string, address: string): Promise<void> {
    const { perAddress } = this.settings.config.auth.throttle;
    await this.dataSource.query(
      `with gone as (delete from sign_in_throttle where key = $1)
       update sign_in_throttle set attempts = greatest(attempts - 1, 0),
         locked_until = case when attempts - 1 < $3 then least(locked_until, last_attempt_at) else locked_until end
       where key = $2`,
      [accountKey(username), addressKey(address), perAddress],
    );
  }
}

const accountKey = (username: string): string => `akun:${sha256Hex(username.trim().toLowerCase())}`;
const addressKey = (address: string): string => `alamat:${sha256Hex(address)}`;
