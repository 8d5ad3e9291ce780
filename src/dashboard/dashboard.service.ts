import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { authorizePermission } from '../auth/policy';
import { Principal } from '../auth/roles';
import { PmtModels } from '../eligibility/pmt-models';
import { Settings, SETTINGS } from '../config/settings.module';
import { Clock, CLOCK } from '../shared/clock';
import { ApiError } from '../shared/http/api-error';

/** `village_code` (or a regency code) within a region: '' is the whole country. */
const WITHIN = (column: string, param: string) => `(${param} = '' or ${column} = ${param} or ${column} like ${param} || '.%')`;

/**
 * The figures behind the dashboard, per region (and period for programs), all from read models:
 * cases per type and stage, SLA compliance, enrolments against quota, and the households per desil
 * and DTSEN class.
 */
@Injectable()
export class Dashboard {
  constructor(
    private readonly dataSource: DataSource,
    private readonly pmt: PmtModels,
    @Inject(SETTINGS) private readonly settings: Settings,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async figures(reader: Principal, regionCode: string | undefined, period: string): Promise<object> {
    const region = regionCode ?? reader.region;
    const denied = authorizePermission(reader, 'dashboard:read', region);
    if (denied) throw ApiError.fromRejection(denied);
    const today = this.clock.now().toISOString().slice(0, 10);
    const [cases, sla, programs, desils] = await Promise.all([
      this.dataSource.query(
        `select case_type as "caseType", stage, open, count(*)::int as count from work_items
         where ${WITHIN('village_code', '$1')} group by case_type, stage, open order by case_type, stage`,
        [region],
      ),
      this.dataSource.query(
        `select count(*) filter (where open)::int as open,
                count(*) filter (where open and due_on < $2::date)::int as "openOverdue",
                count(*) filter (where not open)::int as closed,
                count(*) filter (where not open and stage_since::date <= due_on)::int as "closedOnTime"
         from work_items where due_on is not null and ${WITHIN('village_code', '$1')}`,
        [region, today],
      ),
      this.dataSource.query(
        `select program, sum(quota)::int as quota, sum(enrolled)::int as enrolled, sum(waitlisted)::int as waitlisted,
                count(*)::int as lists, count(*) filter (where approved)::int as approved
         from program_lists where period = $2 and (${WITHIN('regency_code', '$1')} or $1 like regency_code || '.%')
         group by program order by program`,
        [region, period],
      ),
      this.dataSource.query(
        `select desil, count(*)::int as households from households
         where active and ${WITHIN('village_code', '$1')} group by desil order by desil`,
        [region],
      ),
    ]);
    const model = this.pmt.current(today, this.settings.config.pmtModelVersion);
    const classes = new Map<string, number>();
    for (const d of desils as Array<{ desil: number; households: number }>) {
      const cls = model.classification[d.desil - 1];
      classes.set(cls, (classes.get(cls) ?? 0) + d.households);
    }
    const { closed, closedOnTime } = sla[0];
    return {
      regionCode: region,
      period,
      today,
      cases,
      sla: { ...sla[0], compliance: closed > 0 ? Math.round((closedOnTime / closed) * 1000) / 1000 : null },
      programs,
      classification: {
        modelVersion: model.version,
        byDesil: desils,
        byClass: [...classes].map(([classification, households]) => ({ classification, households })),
      },
    };
  }
}
