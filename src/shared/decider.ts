/** A message in the users' language first, English second. */
export interface BilingualText {
  readonly id: string;
  readonly en: string;
}

/**
 * Why a command was refused, as data. `kind` decides the HTTP status at the edge:
 * `conflict` (the case is not in a state that allows it, 409), `rule` (a business rule said no,
 * 422), `forbidden` (role or region, 403), `not_found` (404).
 */
export interface Rejection {
  readonly rejected: true;
  readonly kind: 'conflict' | 'rule' | 'forbidden' | 'not_found';
  readonly code: string;
  readonly message: BilingualText;
  readonly details?: readonly unknown[];
}

export function reject(kind: Rejection['kind'], code: string, message: BilingualText, details?: readonly unknown[]): Rejection {
  return { rejected: true, kind, code, message, ...(details ? { details } : {}) };
}

export function isRejection(value: unknown): value is Rejection {
  return typeof value === 'object' && value !== null && (value as Rejection).rejected === true;
}

/** Emmett-style decider: pure functions, no I/O and no clock (time comes in the command). */
export interface Decider<Command, Event, State> {
  decide(command: Command, state: State): Event[] | Rejection;
  evolve(state: State, event: Event): State;
  initialState(): State;
}

/** The state after a sequence of events. */
export function fold<Event, State>(
  decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>,
  events: readonly Event[],
): State {
  return events.reduce(decider.evolve, decider.initialState());
}
