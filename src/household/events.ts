import { Member } from '../registration/application';

/** The registry entry (stream `household-<householdId>`). Status changes come in later issues. */
export type HouseholdEvent = {
  type: 'HouseholdEstablished';
  data: {
    householdId: string;
    registrationCaseId: string;
    registrationNumber: string;
    kkNumber: string;
    villageCode: string;
    address: string;
    members: readonly Member[];
    desil: number;
    classification: string;
    pmtVersion: string;
    status: 'AKTIF';
    establishedOn: string;
  };
};

export const HOUSEHOLD_PERSONAL_FIELDS: Record<HouseholdEvent['type'], string[]> = {
  HouseholdEstablished: ['kkNumber', 'address', 'members'],
};
