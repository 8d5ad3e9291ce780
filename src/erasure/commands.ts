import { LegalBasis } from './legal-basis';

/** What may be done with an erasure request. Time is not needed: the events record it. */
export type ErasureCommand =
  | {
      type: 'requestErasure';
      requestId: string;
      householdId: string;
      villageCode: string;
      legalBasis: LegalBasis;
      reason: string;
      actorId: string;
      /** The subject's NIKs, KK number and names (normalised): the reason must contain none of them. */
      personalTerms: readonly string[];
    }
  | { type: 'approveErasure'; actorId: string; subjects: readonly string[] }
  | { type: 'rejectErasure'; actorId: string };
