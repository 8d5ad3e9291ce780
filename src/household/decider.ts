import { Decider, reject } from '../shared/decider';
import { HouseholdEvent } from './events';

export interface HouseholdState {
  readonly exists: boolean;
  readonly status?: 'AKTIF';
  readonly villageCode?: string;
  readonly desil?: number;
}

export type HouseholdCommand = { type: 'establishHousehold'; data: HouseholdEvent['data'] };

/** The household record. Establishment is its only command so far: it happens once. */
export const householdDecider: Decider<HouseholdCommand, HouseholdEvent, HouseholdState> = {
  initialState: () => ({ exists: false }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'HouseholdEstablished':
        return { exists: true, status: event.data.status, villageCode: event.data.villageCode, desil: event.data.desil };
    }
  },
  decide: (command, state) => {
    if (state.exists)
      return reject('conflict', 'HOUSEHOLD_EXISTS', {
        id: 'Rumah tangga sudah ditetapkan',
        en: 'The household is already established',
      });
    return [{ type: 'HouseholdEstablished', data: command.data }];
  },
};
