/**
 * A place in the global order of all events. Modelled on EventStoreDB's `$all` position:
 * `commit` orders transactions, `prepare` orders events within and across them. In the PostgreSQL
 * adapter both are the event's `global_position`: appends are serialised so that positions become
 * visible in their own order (docs/adr/0001-event-visibility.md), one number is the whole order.
 */
export interface GlobalPosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export const START: GlobalPosition = Object.freeze({ commit: 0n, prepare: 0n });

export function comparePositions(a: GlobalPosition, b: GlobalPosition): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** `"<commit>/<prepare>"`: a plain string for JSON replies, query strings and checkpoints. */
export function formatPosition(p: GlobalPosition): string {
  return `${p.commit}/${p.prepare}`;
}

/** The inverse of formatPosition; undefined for anything else. */
export function parsePosition(text: string): GlobalPosition | undefined {
  const m = /^(\d{1,20})\/(\d{1,20})$/.exec(text);
  return m ? { commit: BigInt(m[1]), prepare: BigInt(m[2]) } : undefined;
}
