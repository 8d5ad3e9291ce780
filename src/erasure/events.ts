import { LegalBasis } from './legal-basis';

/**
 * The facts of an erasure request (stream `erasure-<requestId>`). They hold ids and codes only,
 * never personal data: they outlive the data they erase. Who acted is in each event's metadata
 * as well; `requestedBy`/`decidedBy` are kept in the data because the four-eyes rule reads them.
 *
 * The subject is a whole household: its members' data is encrypted under the household's keys
 * (one key per stream), so one member alone cannot be shredded (see docs/adr/0003-erasure.md).
 */
export type ErasureEvent =
  | {
      type: 'ErasureRequested';
      data: {
        requestId: string;
        householdId: string;
        /** The household's village when asked: whose dinsos may decide. */
        villageCode: string;
        legalBasis: LegalBasis;
        /** Checked at request time to hold no NIK, KK number or name of the subject. */
        reason: string;
        requestedBy: string;
      };
    }
  | {
      type: 'ErasureApproved';
      data: {
        requestId: string;
        householdId: string;
        decidedBy: string;
        /**
         * Every key destroyed: the household's and its cases' streams, and its documents
         * (`document-<sha256>`). Read models drop these subjects when they see this event.
         */
        subjects: string[];
      };
    }
  | { type: 'ErasureRejected'; data: { requestId: string; householdId: string; decidedBy: string } };

export type ErasureEventType = ErasureEvent['type'];

export const erasureStreamId = (requestId: string): string => `erasure-${requestId}`;
