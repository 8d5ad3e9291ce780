import { SingleBar } from 'cli-progress';

/** A progress bar with ETA; in a non-interactive terminal (CI, logs) it prints a line now and then. */
const bars = new Set<SingleBar>();

export function progressBar(unit: string): SingleBar {
  const bar = new SingleBar({
    format: `{bar} {percentage}% | {value}/{total} ${unit} | {speed}/s | ETA {eta_formatted} | {phase}`,
    barCompleteChar: '█',
    barIncompleteChar: '░',
    hideCursor: true,
    noTTYOutput: true,
    notTTYSchedule: 2000,
    etaBuffer: 50,
  });
  bars.add(bar);
  return bar;
}

/** Stops every bar still running (a failed command's): a running bar's timer would keep the process alive. */
export function stopProgressBars(): void {
  for (const bar of bars) bar.stop(); // a no-op for a bar already stopped
  bars.clear();
}

/** Events per second since `startedAt`, for the bar's {speed} token. */
export function speed(done: number, startedAt: number): number {
  return Math.round(done / Math.max((Date.now() - startedAt) / 1000, 0.001));
}
