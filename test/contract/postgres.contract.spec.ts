import { createStoreFixture } from '../support/database';
import { eventStoreContract } from './event-store.contract';

eventStoreContract('PostgreSQL', () => createStoreFixture());
