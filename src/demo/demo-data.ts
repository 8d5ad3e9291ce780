import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { DEMO_USERS } from '../auth/demo-users';
import { UsersService } from '../auth/users.service';
import { Settings, SETTINGS } from '../config/settings.module';
import { DukcapilService } from '../dukcapil/dukcapil.service';
import { isRejection } from '../shared/decider';
import { SyntheticPopulation } from '../synthetic/synthetic-population.service';

/** A fictional Dukcapil extract of three households in Desa Margaasih (32.04.10.2001). */
export const DEMO_EXTRACT = path.join(__dirname, 'dukcapil-demo.csv');

/** Where the demo population lives: the demo operator's district (Margaasih, Kabupaten Bandung). */
export const DEMO_REGION = '32.04.10';
export const DEMO_SEED = 2026;

/**
 * On the first start of an empty database (and only when DEMO_DATA is on): one user per role,
 * with DEMO_PASSWORD, a small population-registry extract, and DEMO_HOUSEHOLDS synthetic
 * households written through the same batch path as `population:generate`, so the whole flow
 * can be tried on a registry with cases at every stage.
 */
@Injectable()
export class DemoData implements OnApplicationBootstrap {
  private readonly logger = new Logger('DemoData');

  constructor(
    private readonly users: UsersService,
    private readonly dukcapil: DukcapilService,
    private readonly population: SyntheticPopulation,
    private readonly dataSource: DataSource,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.settings.config.demo.enabled) return;
    // Serialised across instances starting together on one database.
    await this.dataSource.transaction(async (m) => {
      await m.query(`select pg_advisory_xact_lock(hashtext('bansos-verval:demo-data'))`);
      if ((await this.users.count()) === 0) await this.createUsers();
      const [{ n }] = await m.query('select count(*)::int as n from dukcapil_imports');
      if (n === 0)
        await this.dukcapil.importExtract(
          { file: DEMO_EXTRACT, contentType: 'text/csv' },
          null,
          new Date().toISOString().slice(0, 10),
        );
      const [{ empty }] = await m.query('select not exists (select 1 from es_events) as empty');
      if (empty && this.settings.config.demo.households > 0) await this.loadPopulation(this.settings.config.demo.households);
    });
  }

  private async loadPopulation(households: number): Promise<void> {
    const today = new Date().toISOString().slice(0, 10);
    const result = await this.population.load({ households, seed: DEMO_SEED, region: DEMO_REGION, today });
    this.logger.log(
      `demo population: ${result.households} households, ${result.events} events in ${result.seconds.toFixed(1)} s`,
    );
  }

  private async createUsers(): Promise<void> {
    for (const u of DEMO_USERS) {
      const created = await this.users.create({ ...u, password: this.settings.config.demo.password });
      if (isRejection(created)) throw new Error(`demo user ${u.username}: ${created.code}`);
    }
    this.logger.log(`demo users created (${DEMO_USERS.map((u) => u.username).join(', ')}); password from DEMO_PASSWORD`);
  }
}
