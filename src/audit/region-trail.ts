import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '../auth/roles';
import { EVENT_STORE, EventStore } from '../event-store/port';
import { Cell, keysetPages } from '../tabular/tabular-export';
import { AuditTrails } from './audit.service';
import { TimelineEntry, toTimelineEntry } from './timeline';
import { entryRow, TRAIL_COLUMNS } from './trail-export';

export const REGION_TRAIL_HEADER = ['subjek', 'id_subjek', 'kode_desa', ...TRAIL_COLUMNS];

export interface RegionTrailRequest {
  /** A region code; '' is the whole country. */
  readonly region: string;
  /** Entries recorded on or after this day / on or before it (YYYY-MM-DD), when given. */
  readonly from?: string;
  readonly to?: string;
  readonly lang: 'id' | 'en';
}

type Subject = { id: string; village_code: string };

/** Subjects per page: each is read from the log, a few at a time, so memory stays bounded for any region. */
const PAGE = 200;
const AT_ONCE = 8;

/**
 * A region's audit trail as rows, one per event: every household living in the region (its own
 * stream and the cases and list entries about it, as on its trail page), then the region's
 * registration cases that established no household (refused, withdrawn or still open).
 */
@Injectable()
export class RegionTrails {
  constructor(
    private readonly trails: AuditTrails,
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async *pages(request: RegionTrailRequest, reader: Principal): AsyncGenerator<Cell[][]> {
    for await (const page of this.subjects('households', 'household_id', request.region))
      yield this.rows(request, 'household', page, (s) => this.trails.householdEntries(s.id, reader));
    for await (const page of this.subjects('registration_cases', 'case_id', request.region, 'household_id is null'))
      yield this.rows(request, 'registration', page, async (s) =>
        (await this.store.readStream(`registration-${s.id}`)).map(toTimelineEntry),
      );
  }

  /** A read model's subjects in the region, in keyset pages by id. */
  private subjects(table: string, idColumn: string, region: string, where = 'true'): AsyncIterable<Subject[]> {
    return keysetPages(
      (after?: string) =>
        this.dataSource.query(
          `select ${idColumn} as id, village_code from ${table}
           where ${where} and ($1 = '' or village_code = $1 or village_code like $1 || '.%')
             and ($2::uuid is null or ${idColumn} > $2::uuid)
           order by ${idColumn} limit ${PAGE}`,
          [region, after ?? null],
        ) as Promise<Subject[]>,
      (s: Subject) => s.id,
    );
  }

  private async rows(
    request: RegionTrailRequest,
    kind: string,
    subjects: readonly Subject[],
    entriesOf: (s: Subject) => Promise<TimelineEntry[]>,
  ): Promise<Cell[][]> {
    const rows: Cell[][] = [];
    for (let i = 0; i < subjects.length; i += AT_ONCE) {
      const group = subjects.slice(i, i + AT_ONCE);
      const trails = await Promise.all(group.map(entriesOf));
      group.forEach((s, j) => {
        for (const e of trails[j]) {
          const day = e.recordedAt.slice(0, 10);
          if ((request.from && day < request.from) || (request.to && day > request.to)) continue;
          rows.push([kind, s.id, s.village_code, ...entryRow(e, request.lang)]);
        }
      });
    }
    return rows;
  }
}
