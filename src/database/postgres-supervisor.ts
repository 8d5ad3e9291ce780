import * as fs from 'node:fs';
import * as path from 'node:path';
import { Logger } from '@nestjs/common';
import { RunningPostgres } from './embedded-postgres';

/** What /health and /metrics show of the embedded server this app runs. */
export interface EmbeddedDatabaseStatus {
  /** 'running'; 'restarting' after it died; 'failed' once the supervisor gave up. */
  readonly state: 'running' | 'restarting' | 'failed';
  /** Successful restarts since the app started. */
  readonly restarts: number;
  /** Restart attempts that failed or died again soon after, in a row. */
  readonly consecutiveFailures: number;
  /** How long the last recovery took, from the death to "ready to accept connections". */
  readonly lastRecoverySeconds?: number;
}

export interface DatabaseSupervision {
  status(): EmbeddedDatabaseStatus;
}

export interface SupervisorOptions {
  /** Give up after this many failed restarts in a row (a crash soon after a restart counts too). */
  maxConsecutiveFailures: number;
  /** First retry delay; doubles per consecutive failure up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A server that stayed up this long has recovered: its next death starts the count afresh. */
  stableAfterMs: number;
}

export const DEFAULT_SUPERVISOR_OPTIONS: SupervisorOptions = {
  maxConsecutiveFailures: 8,
  baseDelayMs: 250,
  maxDelayMs: 8000,
  stableAfterMs: 60_000,
};

/**
 * Keeps the embedded PostgreSQL alive: when the postmaster this process started dies (SIGKILL,
 * OOM killer, a crash), it starts it again on the same data folder and port. PostgreSQL's own
 * crash recovery replays the write-ahead log on start, so every committed transaction is there
 * and none is half there; the app's pools reconnect to the same URL by themselves. Bounded:
 * exponential back-off, and after `maxConsecutiveFailures` it stops trying and says so loudly
 * (error log, /health "down", the metric), because a server that keeps dying needs a person.
 * Log lines carry exit codes, signals and timings only — never a query or its data.
 */
export class EmbeddedPostgresSupervisor implements DatabaseSupervision {
  private readonly logger = new Logger('EmbeddedPostgres');
  private state: EmbeddedDatabaseStatus['state'] = 'running';
  private restarts = 0;
  private failures = 0;
  private lastRecoverySeconds?: number;
  private startedAt = Date.now();
  private stopped = false;
  private wake?: () => void;

  constructor(
    private current: RunningPostgres,
    /** Starts the server again on the same folder and port. */
    private readonly restart: (port: number) => Promise<RunningPostgres>,
    private readonly options: SupervisorOptions = DEFAULT_SUPERVISOR_OPTIONS,
  ) {
    this.watch(current);
  }

  status(): EmbeddedDatabaseStatus {
    return {
      state: this.state,
      restarts: this.restarts,
      consecutiveFailures: this.failures,
      lastRecoverySeconds: this.lastRecoverySeconds,
    };
  }

  /** Stops supervising and stops the server (the app's shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.current.stop();
  }

  private watch(pg: RunningPostgres): void {
    if (!pg.owned) return; // another process serves this folder: it is that process's to restart
    void pg.died.then((how) => this.recover(pg, how));
  }

  private async recover(dead: RunningPostgres, how: { code: number | null; signal: NodeJS.Signals | null }): Promise<void> {
    if (this.stopped) return;
    const diedAt = Date.now();
    this.state = 'restarting';
    // A server that dies soon after its (re)start is not recovering: count it as a failure.
    if (diedAt - this.startedAt < this.options.stableAfterMs) this.failures++;
    else this.failures = 0;
    this.logger.error(
      `embedded PostgreSQL (pid ${dead.pid}) exited unexpectedly (${how.signal ? `signal ${how.signal}` : `code ${how.code}`}); restarting it`,
    );
    terminateOrphans(dead.pid);
    while (!this.stopped) {
      if (this.failures >= this.options.maxConsecutiveFailures) {
        this.state = 'failed';
        this.logger.error(
          `embedded PostgreSQL: gave up after ${this.failures} failed restarts in a row; ` +
            'the app answers 503 until a person fixes the server and restarts the app',
        );
        return;
      }
      await this.pause(Math.min(this.options.baseDelayMs * 2 ** this.failures, this.options.maxDelayMs));
      if (this.stopped) return;
      removeStalePidFile(dead.dataDir, dead.pid);
      try {
        const next = await this.restart(dead.port);
        if (this.stopped) {
          await next.stop();
          return;
        }
        this.current = next;
        this.startedAt = Date.now();
        this.restarts++;
        this.state = 'running';
        this.lastRecoverySeconds = (Date.now() - diedAt) / 1000;
        this.logger.warn(
          `embedded PostgreSQL restarted after crash recovery in ${this.lastRecoverySeconds.toFixed(1)} s ` +
            `(restart ${this.restarts}, pid ${next.pid ?? 'shared'})`,
        );
        this.watch(next);
        return;
      } catch (err) {
        this.failures++;
        // The server's start-up output can be long; its first line says why (no data in it).
        const reason = (err as Error).message.split('\n').slice(0, 3).join(' | ');
        this.logger.error(`embedded PostgreSQL restart ${this.failures} failed: ${reason}`);
      }
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

/**
 * The postmaster's backends outlive a SIGKILLed postmaster for a moment and keep its shared
 * memory attached, which makes a new postmaster refuse to start. They run in the postmaster's
 * own process group (it was started detached), so SIGQUIT to that group — what a postmaster
 * itself sends its children after a crash — ends exactly them.
 */
function terminateOrphans(postmasterPid: number | undefined): void {
  if (!postmasterPid) return;
  try {
    process.kill(-postmasterPid, 'SIGQUIT');
  } catch {
    // ESRCH: none left.
  }
}

/**
 * PostgreSQL ignores a postmaster.pid whose process is gone, but refuses to start when that pid
 * has been reused by an unrelated process. Remove the file only when it names the postmaster
 * that died and that pid is now free or belongs to something that is not PostgreSQL.
 */
export function removeStalePidFile(dataDir: string, deadPid: number | undefined): void {
  const file = path.join(dataDir, 'postmaster.pid');
  let pid: number;
  try {
    pid = Number(fs.readFileSync(file, 'utf8').split('\n')[0]);
  } catch {
    return; // no file: nothing to do
  }
  if (!deadPid || pid !== deadPid) return; // another server has since claimed the folder: leave it
  if (isPostgres(pid)) return;
  fs.rmSync(file, { force: true });
}

function isPostgres(pid: number): boolean {
  try {
    // The executable's name (not its arguments, which may mention "postgres" in a path).
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
  } catch {
    return false; // gone (or no /proc): not a live PostgreSQL
  }
}
