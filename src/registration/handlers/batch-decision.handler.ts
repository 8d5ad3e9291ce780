import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { BatchDecisions, BatchRequest, BatchResult } from '../batch-decisions.service';

export class DecideBatch {
  constructor(readonly request: BatchRequest) {}
}

@CommandHandler(DecideBatch)
export class BatchDecisionHandler implements ICommandHandler<DecideBatch, BatchResult> {
  constructor(private readonly batches: BatchDecisions) {}

  execute(command: DecideBatch): Promise<BatchResult> {
    return this.batches.decide(command.request);
  }
}
