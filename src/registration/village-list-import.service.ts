import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Principal } from '../auth/roles';
import { RowProblem } from '../dukcapil/dukcapil-extract';
import { RegionDirectory } from '../reference/region-directory';
import { ApiError } from '../shared/http/api-error';
import { tableRecords } from '../tabular/tabular-import';
import { RegistrationCases } from './registration-cases.service';
import { householdsOfList } from './village-list';

export interface VillageListReport {
  readonly imported: number;
  readonly caseIds: string[];
  readonly rejectedHouseholds: number;
  /** Line, column and code of each refusal (the first 1,000); never a value from the file. */
  readonly problems: RowProblem[];
}

const MAX_PROBLEMS = 1000;

/**
 * A village's list (CSV or XLSX) registered as drafts: each household its own all-or-nothing
 * command, so a refused household writes nothing and the others go in.
 */
@Injectable()
export class VillageListImport {
  constructor(
    private readonly cases: RegistrationCases,
    private readonly regions: RegionDirectory,
  ) {}

  async import(
    actor: Principal,
    villageCode: string,
    body: Buffer,
    contentType: string,
    today: string,
  ): Promise<VillageListReport> {
    const report = { imported: 0, caseIds: [] as string[], rejectedHouseholds: 0, problems: [] as RowProblem[] };
    const refuse = (problems: RowProblem[]) => {
      report.rejectedHouseholds += 1;
      report.problems.push(...problems.slice(0, MAX_PROBLEMS - report.problems.length));
    };
    const households = householdsOfList(tableRecords(body, contentType), villageCode, this.regions.identifierContext(today));
    try {
      for await (const { household, problems } of households) {
        if (!household) {
          refuse(problems);
          continue;
        }
        const caseId = randomUUID();
        try {
          await this.cases.execute(caseId, {
            type: 'saveDraft',
            actor,
            caseId,
            channel: 'KANTOR_DESA',
            application: household.application,
          });
          report.imported += 1;
          report.caseIds.push(caseId);
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
          refuse([{ line: household.lines[0], column: '*', code: (err.getResponse() as { code: string }).code }]);
        }
      }
    } catch (err) {
      const parseError = (err as { code?: string }).code?.startsWith('CSV_');
      if (!parseError) throw err;
      refuse([{ line: (err as { lines?: number }).lines ?? 0, column: '*', code: 'CSV_SYNTAX' }]);
    }
    return report;
  }
}
