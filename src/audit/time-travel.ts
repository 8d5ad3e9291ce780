import { RecordedEvent } from '../event-store/envelope';
import { householdDecider, HouseholdState } from '../household/decider';
import { HouseholdEvent } from '../household/events';
import { effectiveDateOf } from './timeline';

export interface HouseholdAsOf {
  readonly householdId: string;
  /** The world as it was on this date (facts by their effective date). */
  readonly asOf?: string;
  /** What the system had recorded by this moment. */
  readonly knownAt?: string;
  readonly state: HouseholdState;
  readonly programs: Array<{ program: string; period: string }>;
  readonly waitlisted: Array<{ program: string; period: string }>;
}

/**
 * The household and its programs at a point in time, computed from the events: `asOf` takes the
 * facts that had happened by that date (a death counts from its date, even if recorded later);
 * `knownAt` takes only what had been recorded by then. Both together: what the system knew then
 * about that date. Pure.
 */
export function householdAsOf(
  householdId: string,
  events: readonly RecordedEvent[],
  when: { asOf?: string; knownAt?: string },
): HouseholdAsOf {
  const counts = (e: RecordedEvent) =>
    (!when.asOf || effectiveDateOf(e) <= when.asOf) && (!when.knownAt || e.metadata.recordedAt! <= when.knownAt);
  const included = events.filter(counts);
  const state = included
    .filter((e) => e.streamId === `household-${householdId}`)
    .reduce((s, e) => householdDecider.evolve(s, e as unknown as HouseholdEvent), householdDecider.initialState());
  const holdings = new Map<string, 'programs' | 'waitlisted'>();
  for (const e of included.filter((x) => x.streamId.startsWith('enrolment-'))) {
    const [program, , period] = e.streamId.slice('enrolment-'.length).split('_');
    const key = `${program}_${period}`;
    if (e.type === 'HouseholdEnrolled') holdings.set(key, 'programs');
    else if (e.type === 'HouseholdWaitlisted') holdings.set(key, 'waitlisted');
    else if (e.type === 'HouseholdExited' || e.type === 'HouseholdLeftWaitlist') holdings.delete(key);
  }
  const listed = (kind: 'programs' | 'waitlisted') =>
    [...holdings].filter(([, k]) => k === kind).map(([key]) => ({ program: key.split('_')[0], period: key.split('_')[1] }));
  return { householdId, ...when, state, programs: listed('programs'), waitlisted: listed('waitlisted') };
}
