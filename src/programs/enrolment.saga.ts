import { RecordedEvent } from '../event-store/envelope';
import { HouseholdEvent } from '../household/events';
import { Projection, ProjectionHandler } from '../projection-runner/projection';
import { regencyOf } from './program-rules';
import { Enrolments } from './enrolments.service';

/**
 * The enrolment saga: whenever a household is established or changes, evaluate it for every
 * program. It runs under the projection runner (checkpointed, one instance at a time, outside any
 * database transaction while its commands run); the
 * commands it issues take their event ids from the triggering event, so a replay from position 0
 * or a crash between a command and the checkpoint writes nothing twice.
 */
export class EnrolmentSaga extends Projection {
  readonly name = 'enrolment-saga';
  readonly tables: string[] = [];
  override readonly issuesCommands = true;
  protected readonly handlers: Record<string, ProjectionHandler>;

  constructor(enrolments: Enrolments) {
    super();
    const evaluate: ProjectionHandler = (event) => enrolments.evaluateHousehold(householdIdOf(event), event);
    this.handlers = {
      HouseholdEstablished: evaluate,
      MemberDied: evaluate,
      MemberBorn: evaluate,
      HouseholdDeactivated: evaluate,
      HouseholdReranked: evaluate,
      MemberCorrected: evaluate,
      MemberDeathRetracted: evaluate,
      HouseholdReinstated: evaluate,
      // An upheld appeal against an exit: the household is evaluated again, caused by the decision.
      AppealUpheld: (event) => {
        const subject = (event.data as { subject: { type: string; householdId?: string } }).subject;
        return subject.type === 'EXIT' ? enrolments.evaluateHousehold(subject.householdId!, event) : Promise.resolve();
      },
      HouseholdMoved: (event) => {
        const moved = event as RecordedEvent & Extract<HouseholdEvent, { type: 'HouseholdMoved' }>;
        return enrolments.evaluateHousehold(householdIdOf(event), event, regencyOf(moved.data.fromVillageCode));
      },
    };
  }
}

const householdIdOf = (event: RecordedEvent): string => event.streamId.slice('household-'.length);
