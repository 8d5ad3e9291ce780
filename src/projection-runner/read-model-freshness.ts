import { Injectable } from '@nestjs/common';
import { GlobalPosition } from '../event-store/position';
import { ApiError } from '../shared/http/api-error';
import { ProjectionRunner, ProjectionTimeoutError } from './projection-runner';

const WAIT_MS = 5000;

/** Read-your-writes for queries: wait, bounded, until the read models have passed a position. */
@Injectable()
export class ReadModelFreshness {
  constructor(private readonly runner: ProjectionRunner) {}

  async waitFor(position: GlobalPosition, projections?: readonly string[]): Promise<void> {
    try {
      await this.runner.waitFor(position, { timeoutMs: WAIT_MS, projections });
    } catch (err) {
      if (!(err instanceof ProjectionTimeoutError)) throw err;
      throw new ApiError(503, 'READ_MODEL_BEHIND', {
        id: 'Data tampilan belum mutakhir; coba lagi sebentar lagi',
        en: 'The read model has not caught up yet; try again shortly',
      });
    }
  }
}
