import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandOptions, CommandResult, RegistrationCases, RegistrationRequest } from '../registration-cases.service';

/** Any verval command on one registration case; the decider tells them apart. */
export class ExecuteRegistrationCommand {
  constructor(
    readonly caseId: string,
    readonly request: RegistrationRequest,
    readonly options: CommandOptions,
  ) {}
}

@CommandHandler(ExecuteRegistrationCommand)
export class RegistrationCommandHandler implements ICommandHandler<ExecuteRegistrationCommand, CommandResult> {
  constructor(private readonly cases: RegistrationCases) {}

  execute(command: ExecuteRegistrationCommand): Promise<CommandResult> {
    return this.cases.execute(command.caseId, command.request, command.options);
  }
}
