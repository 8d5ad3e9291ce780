import { MigrationInterface, QueryRunner } from 'typeorm';

/** Per program, regency and period: the quota, how many are enrolled and waiting (dashboard figures). */
export class ProgramLists1764000000009 implements MigrationInterface {
  name = 'ProgramLists1764000000009';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table program_lists (
        program text not null,
        regency_code text not null,
        period text not null,
        quota int,
        enrolled int not null default 0,
        waitlisted int not null default 0,
        approved boolean not null default false,
        primary key (program, regency_code, period)
      );
      create index program_lists_period on program_lists (period, regency_code);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table program_lists');
  }
}
