import { Decider, isRejection, Rejection } from '../../src/shared/decider';

/**
 * Emmett-style specification: given(events).when(command).then(events) / thenRejects(code).
 * Reads as the rule it checks; the decider runs exactly as the command handler runs it.
 */
export function specFor<C, E, S>(decider: Decider<C, E, S>) {
  return {
    given(events: readonly E[]) {
      const state = events.reduce(decider.evolve, decider.initialState());
      return {
        when(command: C) {
          const result = decider.decide(command, state);
          return {
            then(expected: ReadonlyArray<Partial<E> | ((e: E) => boolean)>): E[] {
              if (isRejection(result)) throw new Error(`expected events, got rejection ${result.code}: ${result.message.en}`);
              expect(result).toHaveLength(expected.length);
              expected.forEach((exp, i) =>
                typeof exp === 'function' ? expect(exp(result[i])).toBe(true) : expect(result[i]).toMatchObject(exp),
              );
              return result;
            },
            thenState(): S {
              if (isRejection(result)) throw new Error(`expected events, got rejection ${result.code}: ${result.message.en}`);
              return result.reduce(decider.evolve, state);
            },
            thenRejects(code: string, kind?: Rejection['kind']): Rejection {
              if (!isRejection(result))
                throw new Error(
                  `expected rejection ${code}, got events ${JSON.stringify(result.map((e) => (e as { type: string }).type))}`,
                );
              expect(result.code).toBe(code);
              if (kind) expect(result.kind).toBe(kind);
              expect(result.message.id.length).toBeGreaterThan(0);
              expect(result.message.en.length).toBeGreaterThan(0);
              return result;
            },
          };
        },
      };
    },
  };
}
