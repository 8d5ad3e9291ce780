/** Turns an event's data from schema version n into version n + 1. */
export type Upcaster = (data: any) => any;

export interface PersonalDataSpec {
  /** Whose data it is: the key of the subject (e.g. a household or person id, never a NIK). */
  readonly subject: (data: any, streamId: string) => string;
  /** Paths of the personal fields: `name`, `head.nik`, `members[].nik`, `members[]`. */
  readonly fields: readonly string[];
  /**
   * What a field reads as once erased, by its path (`members`, `details.member`): a value of the
   * shape the code expects (an empty list, a member whose texts read ERASED), so an erased subject
   * renders instead of crashing. Unlisted fields fall back to their recorded kind.
   */
  readonly erased?: Readonly<Record<string, unknown>>;
}

export interface EventTypeDefinition {
  readonly type: string;
  /** The current schema version; events are written in it and upcast to it on read. */
  readonly schemaVersion: number;
  /** `upcasters[n]` turns version n into n + 1, for every n below schemaVersion. */
  readonly upcasters?: Readonly<Record<number, Upcaster>>;
  readonly personalData?: PersonalDataSpec;
}

/**
 * What the store knows about each event type: its current schema version, how to upcast older
 * versions, and which fields are personal data (encrypted per subject for crypto-shredding).
 * Unregistered types are stored and read as they are, at schema version 1.
 */
export class EventTypeRegistry {
  private readonly types = new Map<string, EventTypeDefinition>();

  register(...definitions: EventTypeDefinition[]): this {
    for (const def of definitions) {
      for (let v = 1; v < def.schemaVersion; v++) {
        if (!def.upcasters?.[v]) throw new Error(`event type ${def.type}: no upcaster from version ${v} to ${v + 1}`);
      }
      this.types.set(def.type, def);
    }
    return this;
  }

  schemaVersion(type: string): number {
    return this.types.get(type)?.schemaVersion ?? 1;
  }

  personalData(type: string): PersonalDataSpec | undefined {
    return this.types.get(type)?.personalData;
  }

  /** Brings data stored at `fromVersion` up to the type's current version. */
  upcast(type: string, fromVersion: number, data: unknown): { data: unknown; schemaVersion: number } {
    const def = this.types.get(type);
    if (!def || fromVersion >= def.schemaVersion) return { data, schemaVersion: fromVersion };
    let current = data;
    for (let v = fromVersion; v < def.schemaVersion; v++) current = def.upcasters![v](current);
    return { data: current, schemaVersion: def.schemaVersion };
  }
}
