import { ProjectionRunner } from './projection-runner';

/**
 * Every runner in the app: the read models' and the sagas' (which run apart, outside a database
 * transaction). /health reports them all.
 */
export class ProjectionRunners {
  private readonly runners: ProjectionRunner[] = [];

  register(runner: ProjectionRunner): void {
    if (!this.runners.includes(runner)) this.runners.push(runner);
  }

  all(): readonly ProjectionRunner[] {
    return this.runners;
  }
}
