import { Controller, Get, Inject, Query } from '@nestjs/common';
import { Clock, CLOCK } from '../shared/clock';
import { ApiExcludeController } from '@nestjs/swagger';
import { VERVAL_STATES } from '../registration/verval-state-machine';
import { Page } from '../web/page.decorator';
import { Views } from '../web/views';
import { UsersService } from '../auth/users.service';
import { Web, WebContext } from '../web/web-context';
import { QueueQuery } from './work-queue.controller';
import { WorkQueues } from './work-queue.service';

const CASE_TYPE_LABELS = {
  registration: { id: 'Pendaftaran', en: 'Registration' },
  statuschange: { id: 'Perubahan status', en: 'Status change' },
  banding: { id: 'Banding', en: 'Appeal' },
  sanggah: { id: 'Sanggahan', en: 'Objection' },
};

/** The operator console's work queue: overdue first, filters, pages, claim. */
@ApiExcludeController()
@Controller('konsol/antrean')
export class WorkQueuePages {
  constructor(
    private readonly views: Views,
    private readonly queues: WorkQueues,
    private readonly users: UsersService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @Page()
  async queue(@Web() web: WebContext, @Query() q: QueueQuery): Promise<string> {
    const filter = { ...q, sort: q.sort ?? 'due', page: q.page ?? 1, pageSize: q.pageSize ?? 25 };
    const result = (await this.queues.list(web.principal!, filter)) as { items: Array<{ assignee: string | null }> };
    const query = (changes: Record<string, unknown>) => {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries({ ...filter, ...changes }))
        if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
      return `?${params}`;
    };
    return this.views.render('console/antrean', web, {
      result,
      filter,
      query,
      caseTypes: CASE_TYPE_LABELS,
      stageLabel: (stage: string) =>
        stage in VERVAL_STATES ? web.bi(VERVAL_STATES[stage as keyof typeof VERVAL_STATES]) : stage,
      names: await this.users.usernames(result.items.flatMap((i) => (i.assignee ? [i.assignee] : []))),
      today: this.clock.now().toISOString().slice(0, 10),
    });
  }
}
