import { StreamIntegrityChecks } from '../event-store/integrity/stream-integrity';
import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { AccessLog } from '../audit/access-log';
import { toTimelineEntry } from '../audit/timeline';
import { INDICATORS } from '../eligibility/indicators';
import { EVENT_STORE, EventStore } from '../event-store/port';
import { Clock, CLOCK } from '../shared/clock';
import { UuidPipe } from '../shared/http/uuid.pipe';
import { Page } from '../web/page.decorator';
import { actorsOf, Views } from '../web/views';
import { UsersService } from '../auth/users.service';
import { Web, WebContext } from '../web/web-context';
import { actionFormsFor } from './case-action-forms';
import { DOCUMENT_KINDS } from './documents';
import { RegistrationQueries } from './registration-queries.service';
import { CaseState } from './verval-state-machine';

/** A registration case for staff of its region: the household, documents, timeline and allowed actions. */
@ApiExcludeController()
@Controller('konsol/pendaftaran')
export class CasePages {
  constructor(
    private readonly views: Views,
    private readonly queries: RegistrationQueries,
    private readonly accessLog: AccessLog,
    private readonly users: UsersService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly integrity: StreamIntegrityChecks,
  ) {}

  @Get(':id')
  @Page()
  async casePage(@Web() web: WebContext, @Param('id', UuidPipe) id: string): Promise<string> {
    const principal = web.principal!;
    const view = (await this.queries.get(id, principal, undefined, this.clock.now().toISOString().slice(0, 10))) as {
      status: CaseState;
    };
    await this.accessLog.record({ principal }, 'registration', id, 'case page');
    const timeline = (await this.store.readStream(`registration-${id}`)).map(toTimelineEntry).reverse();
    return this.views.render('console/kasus', web, {
      c: view,
      timeline,
      integrity: await this.integrity.check([`registration-${id}`]),
      names: await this.users.usernames(actorsOf(timeline)),
      forms: actionFormsFor(id, view.status, principal.role),
      documentKinds: DOCUMENT_KINDS,
      indicators: INDICATORS,
      today: this.clock.now().toISOString().slice(0, 10),
    });
  }
}
