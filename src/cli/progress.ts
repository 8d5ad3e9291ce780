import { SingleBar } from 'cli-progress';

/** A progress bar with ETA; in a non-interactive terminal (CI, logs) it prints a line now and then. */
export function progressBar(unit: string): SingleBar {
  return new SingleBar({
    format: `{bar} {percentage}% | {value}/{total} ${unit} | {speed}/s | ETA {eta_formatted} | {phase}`,
    barCompleteChar: '█',
    barIncompleteChar: '░',
    hideCursor: true,
    noTTYOutput: true,
    notTTYSchedule: 2000,
    etaBuffer: 50,
  });
}

/** Events per second since `startedAt`, for the bar's {speed} token. */
export function speed(done: number, startedAt: number): number {
  return Math.round(done / Math.max((Date.now() - startedAt) / 1000, 0.001));
}
