import { Command, Option } from 'nest-commander';
import { ROLES, Role, STAFF_ROLES } from '../auth/roles';
import { UsersService } from '../auth/users.service';
import { isRejection } from '../shared/decider';
import { CliCommand } from './cli-command';
import { readSecret } from './read-secret';

interface CreateUserOptions {
  username: string;
  role: Role;
  region?: string;
  name?: string;
}

@Command({
  name: 'users:create',
  description:
    'Create a staff user. The password is read from the terminal (hidden) or from standard input, never from the command line.',
})
export class UsersCreateCommand extends CliCommand {
  constructor(private readonly users: UsersService) {
    super();
  }

  protected async execute(_args: string[], options: CreateUserOptions): Promise<void> {
    const password = await readSecret('Kata sandi / password: ');
    const created = await this.users.create({
      username: options.username,
      displayName: options.name ?? options.username,
      password,
      role: options.role,
      regionCode: options.region ?? '',
    });
    if (isRejection(created)) throw new Error(`${created.code}: ${created.message.id} / ${created.message.en}`);
    process.stdout.write(
      `Pengguna dibuat / user created: ${created.username} (${created.role}, wilayah ${created.regionCode || 'nasional'}) id ${created.id}\n`,
    );
  }

  @Option({ flags: '-u, --username <username>', description: '3–40 lower-case letters, digits, . _ -', required: true })
  parseUsername(value: string): string {
    return value;
  }

  @Option({ flags: '-r, --role <role>', description: `One of: ${STAFF_ROLES.join(', ')}`, required: true })
  parseRole(value: string): Role {
    if (!ROLES.includes(value as Role)) throw new Error(`unknown role ${value}; one of ${STAFF_ROLES.join(', ')}`);
    return value as Role;
  }

  @Option({
    flags: '-g, --region <code>',
    description:
      "Region code at the role's level (village 32.04.10.2001, district, regency 32.04, province 32; none for national roles)",
  })
  parseRegion(value: string): string {
    return value;
  }

  @Option({ flags: '-n, --name <displayName>', description: 'Name shown in the application' })
  parseName(value: string): string {
    return value;
  }
}

@Command({ name: 'users:list', description: 'List staff users (username, role, region)' })
export class UsersListCommand extends CliCommand {
  constructor(private readonly users: UsersService) {
    super();
  }

  protected async execute(): Promise<void> {
    const { items, total } = await this.users.list(1, 1000);
    for (const u of items)
      process.stdout.write(
        `${u.username.padEnd(24)} ${u.role.padEnd(22)} ${u.regionCode || 'nasional'}${u.active ? '' : ' (nonaktif)'}\n`,
      );
    process.stdout.write(`${total} pengguna / users\n`);
  }
}
