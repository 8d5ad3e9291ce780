import { Global, Module } from '@nestjs/common';

/** The time, injectable so tests can move it (scheduled jobs, due dates). */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('Clock');
export const systemClock: Clock = { now: () => new Date() };

/** One clock for the whole app (a fresh object, so a test may move it without touching systemClock). */
@Global()
@Module({ providers: [{ provide: CLOCK, useFactory: (): Clock => ({ now: () => systemClock.now() }) }], exports: [CLOCK] })
export class ClockModule {}
