import { EntityManager } from 'typeorm';
import { RecordedEvent } from '../../src/event-store/envelope';
import { Projection, ProjectionHandler } from '../../src/projection-runner/projection';

/** `enrolment-<PROGRAM>_<regency>_<period>` → its key. */
const keyOf = (e: RecordedEvent): [string, string, string] => {
  const [program, regency, period] = e.streamId.slice('enrolment-'.length).split('_');
  return [program, regency, period];
};

/** The program lists in figures: quota, enrolled and waiting per program, regency and period. */
export class ProgramListsProjection extends Projection {
  readonly name = 'program-lists';
  readonly tables = ['program_lists'];
  protected readonly handlers: Record<string, ProjectionHandler> = {
    QuotaSet: (e, m) => this.change(m, e, 'quota = $4', (e.data as { quota: number }).quota),
    HouseholdEnrolled: (e, m) =>
      (e.data as { promotedFromWaitlist: boolean }).promotedFromWaitlist
        ? this.change(m, e, 'enrolled = l.enrolled + 1, waitlisted = l.waitlisted - 1')
        : this.change(m, e, 'enrolled = l.enrolled + 1'),
    HouseholdExited: (e, m) => this.change(m, e, 'enrolled = l.enrolled - 1'),
    HouseholdWaitlisted: (e, m) => this.change(m, e, 'waitlisted = l.waitlisted + 1'),
    HouseholdLeftWaitlist: (e, m) => this.change(m, e, 'waitlisted = l.waitlisted - 1'),
    RecipientListApproved: (e, m) => this.change(m, e, 'approved = true'),
  };

  private async change(m: EntityManager, e: RecordedEvent, set: string, value?: number): Promise<void> {
    const key = keyOf(e);
    await m.query('insert into program_lists (program, regency_code, period) values ($1, $2, $3) on conflict do nothing', key);
    await m.query(
      `update program_lists l set ${set} where program = $1 and regency_code = $2 and period = $3`,
      value === undefined ? key : [...key, value],
    );
  }
}
