import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { AccessLog } from '../audit/access-log';
import { toTimelineEntry } from '../audit/timeline';
import { authorizePermission } from '../auth/policy';
import { Principal } from '../auth/roles';
import { EVENT_STORE, EventStore } from '../event-store/port';
import { Clock, CLOCK } from '../shared/clock';
import { BilingualText, isRejection } from '../shared/decider';
import { ApiError } from '../shared/http/api-error';
import { UuidPipe } from '../shared/http/uuid.pipe';
import { StatusChanges } from '../status-changes/status-changes.service';
import { statusChangeDecider, StatusChangeState } from '../status-changes/status-change';
import { Page } from '../web/page.decorator';
import { actorsOf, Views } from '../web/views';
import { UsersService } from '../auth/users.service';
import { Web, WebContext } from '../web/web-context';
import { APPEAL_TRANSITIONS, AppealState, ReviewKind } from './appeal';
import { Appeals } from './appeals.service';

type Kind = ReviewKind | 'statuschange';
const TITLES: Record<Kind, BilingualText> = {
  banding: { id: 'Banding', en: 'Appeal' },
  sanggah: { id: 'Sanggahan', en: 'Objection' },
  statuschange: { id: 'Perubahan status', en: 'Status change' },
};
const API: Record<Kind, string> = {
  banding: '/api/v1/appeals',
  sanggah: '/api/v1/objections',
  statuschange: '/api/v1/status-changes',
};

interface ReviewForm {
  readonly url: string;
  readonly label: BilingualText;
  readonly choice?: { field: string; yes: BilingualText; no: BilingualText };
  readonly evidenceRequired?: boolean;
}

/** The caseworkers' pages for appeals (banding), objections (sanggah) and status changes, SLA in view. */
@ApiExcludeController()
@Controller('konsol/kasus')
export class ReviewPages {
  constructor(
    private readonly views: Views,
    private readonly appeals: Appeals,
    private readonly changes: StatusChanges,
    private readonly accessLog: AccessLog,
    private readonly users: UsersService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get(':kind/:id')
  @Page()
  async reviewPage(@Web() web: WebContext, @Param('kind') kind: string, @Param('id', UuidPipe) id: string): Promise<string> {
    if (!(kind in TITLES)) throw ApiError.notFound({ id: 'Jenis kasus', en: 'Case kind' });
    const k = kind as Kind;
    const principal = web.principal!;
    const { state, version } = k === 'statuschange' ? await this.changes.load(id) : await this.appeals.load(id, k);
    if (state.status === 'NONE') throw ApiError.notFound(TITLES[k]);
    const denied = authorizePermission(principal, 'households:read', state.villageCode!);
    if (denied) throw ApiError.fromRejection(denied);
    await this.accessLog.record({ principal }, k, id, 'case page');
    const today = this.clock.now().toISOString().slice(0, 10);
    const dueOn = (state as AppealState).dueOn;
    const timeline = (await this.store.readStream(`${k}-${id}`)).map(toTimelineEntry).reverse();
    return this.views.render('console/tinjauan', web, {
      kind: k,
      title: TITLES[k],
      id,
      state,
      version,
      api: `${API[k]}/${id}`,
      dueOn,
      overdue: Boolean(dueOn && ['DIAJUKAN', 'DIPROSES'].includes(state.status) && today > dueOn),
      timeline,
      names: await this.users.usernames([...actorsOf(timeline), (state as AppealState).caseworkerId ?? '']),
      forms:
        k === 'statuschange'
          ? this.statusChangeForms(id, state as StatusChangeState, principal)
          : this.appealForms(k, id, state as AppealState, principal),
    });
  }

  private appealForms(kind: ReviewKind, id: string, state: AppealState, p: Principal): ReviewForm[] {
    const may = (action: string) =>
      APPEAL_TRANSITIONS.some((t) => t.action === action && t.from === state.status && t.roles.includes(p.role));
    const url = `${API[kind]}/${id}`;
    return [
      ...(may('assign') ? [{ url: `${url}/assignment`, label: { id: 'Ambil kasus ini', en: 'Take this case' } }] : []),
      ...(may('uphold') && state.caseworkerId === p.userId
        ? [
            {
              url: `${url}/decision`,
              label: { id: 'Putuskan', en: 'Decide' },
              choice: { field: 'uphold', yes: { id: 'Kabulkan', en: 'Uphold' }, no: { id: 'Tolak', en: 'Dismiss' } },
            },
          ]
        : []),
    ];
  }

  private statusChangeForms(id: string, state: StatusChangeState, p: Principal): ReviewForm[] {
    // The decider itself says whether this reader may approve (role, both regions of a move).
    const trial = statusChangeDecider.decide(
      { type: 'approve', actor: p, at: '', reason: '-', evidence: [{ kind: 'document', sha256: '0'.repeat(64) }] },
      state,
    );
    const may = !isRejection(trial);
    return may
      ? [
          {
            url: `${API.statuschange}/${id}/decision`,
            label: { id: 'Putuskan', en: 'Decide' },
            choice: { field: 'approve', yes: { id: 'Setujui', en: 'Approve' }, no: { id: 'Tolak', en: 'Reject' } },
            evidenceRequired: true,
          },
        ]
      : [];
  }
}
