import { ExpectedVersion } from './port';

/** The stream is not at the version the writer expected: nothing was written. */
export class WrongExpectedVersionError extends Error {
  readonly code = 'VERSION_CONFLICT';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number | 'no_stream',
  ) {
    super(`stream ${streamId}: expected version ${String(expected)}, actual ${String(actual)}`);
  }
}

/** Some but not all of an append's event ids were written before: a client bug, not a retry. */
export class PartialDuplicateAppendError extends Error {
  readonly code = 'PARTIAL_DUPLICATE';
  constructor(readonly streamId: string) {
    super(`stream ${streamId}: some event ids of this append exist already, others do not`);
  }
}

/** Personal data for a subject whose key was destroyed cannot be written again. */
export class SubjectErasedError extends Error {
  readonly code = 'SUBJECT_ERASED';
  constructor(readonly subjectId: string) {
    super(`personal data of subject ${subjectId} was erased; it cannot be written again`);
  }
}

/** The MAC key does not fit this database's events: started with the wrong INTEGRITY_KEY. */
export class IntegrityKeyMismatchError extends Error {
  constructor(checked: number) {
    super(
      `INTEGRITY_KEY tidak cocok dengan peristiwa di basis data ini / INTEGRITY_KEY does not match this database's events ` +
        `(none of the latest ${checked} keyed events verifies). Started with it, the app would quarantine every event ` +
        'and its read models would move past them: set the key this database was written with (docs/adr/0002-tamper-evidence.md).',
    );
    this.name = 'IntegrityKeyMismatchError';
  }
}
