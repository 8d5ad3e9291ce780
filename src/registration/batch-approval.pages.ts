import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { Clock, CLOCK } from '../shared/clock';
import { Page } from '../web/page.decorator';
import { Views } from '../web/views';
import { Web, WebContext } from '../web/web-context';
import { BatchDecisions } from './batch-decisions.service';
import { ACTION_TITLES } from './case-action-forms';
import { APPROVAL_LEVELS, ApprovalAction, rolesFor } from './verval-state-machine';
import { REGION_CODE } from '../shared/http/region-code';

class BatchPreviewQuery {
  @IsOptional()
  @IsIn(APPROVAL_LEVELS)
  action?: ApprovalAction;

  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/)
  period?: string;

  @IsOptional()
  @Matches(REGION_CODE)
  regionCode?: string;
}

/** Batch approval of a period's list: the cases waiting (a preview), then one decision for all. */
@ApiExcludeController()
@Controller('konsol/persetujuan')
export class BatchApprovalPages {
  constructor(
    private readonly views: Views,
    private readonly batches: BatchDecisions,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @Page()
  async preview(@Web() web: WebContext, @Query() q: BatchPreviewQuery): Promise<string> {
    const principal = web.principal!;
    const levels = APPROVAL_LEVELS.filter((a) => rolesFor(a).includes(principal.role)).map((a) => ({
      action: a,
      label: ACTION_TITLES[a],
    }));
    const action = q.action ?? levels[0]?.action;
    const filter = {
      action,
      period: q.period ?? this.clock.now().toISOString().slice(0, 7),
      regionCode: q.regionCode ?? principal.region,
    };
    const waiting = action
      ? await this.batches.waiting({ action, actor: principal, period: filter.period, regionCode: filter.regionCode })
      : undefined;
    return this.views.render('console/persetujuan', web, { levels, filter, waiting });
  }
}
