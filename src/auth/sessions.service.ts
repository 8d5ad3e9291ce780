import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Settings, SETTINGS } from '../config/settings.module';
import { Clock, CLOCK } from '../shared/clock';

/** A data source or a transaction's manager: a revocation joins the change that causes it. */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/**
 * Signed-in sessions, one row each, shared by every instance. Every authenticated request checks
 * its session (a primary-key lookup joined to the user), so a sign-out, a deactivation or a
 * password change stops a token on its next request, not when it expires. The row's last activity
 * gives the sliding idle timeout; it is rewritten at most every few seconds, not on every request.
 */
@Injectable()
export class SessionsService {
  private readonly idleMs: number;
  /** Activity is recorded when older than this, so a busy session costs a write now and then. */
  private readonly touchEveryMs: number;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SETTINGS) settings: Settings,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.idleMs = settings.config.auth.idleTimeoutSeconds * 1000;
    this.touchEveryMs = Math.min(15_000, this.idleMs / 20);
  }

  async open(userId: string): Promise<string> {
    const id = randomUUID();
    const now = this.clock.now().toISOString();
    // The user's ended sessions (revoked, or idle past the timeout: neither can come back) go,
    // so the table holds about the live sessions only.
    await this.dataSource.query(
      `with ended as (
         delete from auth_sessions where user_id = $2
           and (revoked_at is not null or last_seen_at < $3::timestamptz - make_interval(secs => $4)))
       insert into auth_sessions (id, user_id, created_at, last_seen_at) values ($1, $2, $3::timestamptz, $3::timestamptz)`,
      [id, userId, now, this.idleMs / 1000],
    );
    return id;
  }

  /** Whether the session is live (not revoked, its user active, used within the idle timeout); extends it if so. */
  async touch(sessionId: string, userId: string): Promise<boolean> {
    if (!/^[0-9a-f-]{36}$/.test(sessionId)) return false;
    const now = this.clock.now();
    const [row]: Array<{ last: Date }> = await this.dataSource.query(
      `select s.last_seen_at as last from auth_sessions s join users u on u.id = s.user_id
       where s.id = $1 and s.user_id = $2 and s.revoked_at is null and u.active`,
      [sessionId, userId],
    );
    if (!row) return false;
    const idle = now.getTime() - row.last.getTime();
    if (idle > this.idleMs) return false;
    if (idle >= this.touchEveryMs)
      await this.dataSource.query(
        'update auth_sessions set last_seen_at = greatest(last_seen_at, $2::timestamptz) where id = $1',
        [sessionId, now.toISOString()],
      );
    return true;
  }

  async revoke(sessionId: string): Promise<void> {
    if (!/^[0-9a-f-]{36}$/.test(sessionId)) return;
    await this.dataSource.query('update auth_sessions set revoked_at = $2::timestamptz where id = $1 and revoked_at is null', [
      sessionId,
      this.clock.now().toISOString(),
    ]);
  }

  /** Ends every session of the user (deactivated, new role or region, new password), but `keep`. */
  async revokeAllOf(userId: string, keep?: string, tx: Queryable = this.dataSource): Promise<void> {
    await tx.query(
      `update auth_sessions set revoked_at = $2::timestamptz
       where user_id = $1 and revoked_at is null and ($3::uuid is null or id <> $3::uuid)`,
      [userId, this.clock.now().toISOString(), keep ?? null],
    );
  }
}
