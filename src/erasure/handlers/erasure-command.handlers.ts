import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Principal } from '../../auth/roles';
import { ErasureResult, Erasures } from '../erasure.service';
import { LegalBasis } from '../legal-basis';

/** Ask to erase a household's personal data (dinsos of its region). */
export class RequestErasureCommand {
  constructor(
    readonly principal: Principal,
    readonly householdId: string,
    readonly legalBasis: LegalBasis,
    readonly reason: string,
  ) {}
}

/** Approve or reject an erasure request (another dinsos officer of the region). */
export class DecideErasureCommand {
  constructor(
    readonly principal: Principal,
    readonly requestId: string,
    readonly approve: boolean,
    readonly expectedVersion?: number,
  ) {}
}

@CommandHandler(RequestErasureCommand)
export class RequestErasureHandler implements ICommandHandler<RequestErasureCommand, ErasureResult> {
  constructor(private readonly erasures: Erasures) {}

  execute(c: RequestErasureCommand): Promise<ErasureResult> {
    return this.erasures.request(c.principal, c.householdId, c.legalBasis, c.reason);
  }
}

@CommandHandler(DecideErasureCommand)
export class DecideErasureHandler implements ICommandHandler<DecideErasureCommand, ErasureResult> {
  constructor(private readonly erasures: Erasures) {}

  execute(c: DecideErasureCommand): Promise<ErasureResult> {
    return this.erasures.decide(c.principal, c.requestId, c.approve, c.expectedVersion);
  }
}
