import { ErasureCommand } from '../../src/erasure/commands';
import { ERASURE_TRANSITIONS, erasureDecider, ErasureStatus } from '../../src/erasure/decider';
import { ErasureEvent } from '../../src/erasure/events';
import { specFor } from '../support/decider-spec';

const spec = specFor(erasureDecider);
const ASKER = 'u-asker';
const SECOND = 'u-second';
const request = (overrides: Partial<Extract<ErasureCommand, { type: 'requestErasure' }>> = {}): ErasureCommand => ({
  type: 'requestErasure',
  requestId: 'r1',
  householdId: 'h1',
  villageCode: '32.04.10.2001',
  legalBasis: 'PERMINTAAN_SUBJEK',
  reason: 'Permintaan tertulis subjek data, surat nomor 12/2026',
  actorId: ASKER,
  personalTerms: ['3204104211700004', 'Sri Wahyuni', 'Andi Saputra', '3204101506180002'],
  ...overrides,
});
const requested: ErasureEvent = {
  type: 'ErasureRequested',
  data: {
    requestId: 'r1',
    householdId: 'h1',
    villageCode: '32.04.10.2001',
    legalBasis: 'PERMINTAAN_SUBJEK',
    reason: 'Permintaan tertulis subjek data, surat nomor 12/2026',
    requestedBy: ASKER,
  },
};
const approve = (actorId: string): ErasureCommand => ({ type: 'approveErasure', actorId, subjects: ['household-h1'] });

describe('erasure decider: request, four eyes, final decisions, no personal data in the reason', () => {
  it('a request records ids and codes; the reason is kept as written when it names nobody', () => {
    spec
      .given([])
      .when(request())
      .then([{ type: 'ErasureRequested', data: requested.data }]);
  });

  it.each([
    ['a NIK', 'Atas permintaan pemilik NIK 3204104211700004'],
    ['a NIK written with spaces', 'NIK 3204 1042 1170 0004 meminta'],
    ['a KK number', 'KK 3204101506180002'],
    ['any 16-digit number', 'nomor 1234567890123456'],
    ['a member name, any case', 'permintaan ibu SRI WAHYUNI sendiri'],
    ['a member name with punctuation', 'permintaan Andi-Saputra.'],
  ])('a reason holding %s is refused', (_, reason) => {
    spec.given([]).when(request({ reason })).thenRejects('REASON_HAS_PERSONAL_DATA', 'rule');
  });

  it('another officer approves: the approval lists the subjects whose keys go', () => {
    spec
      .given([requested])
      .when(approve(SECOND))
      .then([
        { type: 'ErasureApproved', data: { requestId: 'r1', householdId: 'h1', decidedBy: SECOND, subjects: ['household-h1'] } },
      ]);
  });

  it('the asker can neither approve nor reject their own request (four eyes)', () => {
    spec.given([requested]).when(approve(ASKER)).thenRejects('FOUR_EYES', 'rule');
    spec.given([requested]).when({ type: 'rejectErasure', actorId: ASKER }).thenRejects('FOUR_EYES', 'rule');
  });

  it('a decided request is final; no decision without a request', () => {
    const approved: ErasureEvent = {
      type: 'ErasureApproved',
      data: { requestId: 'r1', householdId: 'h1', decidedBy: SECOND, subjects: [] },
    };
    const rejected: ErasureEvent = { type: 'ErasureRejected', data: { requestId: 'r1', householdId: 'h1', decidedBy: SECOND } };
    spec.given([requested, approved]).when(approve('u-third')).thenRejects('ERASURE_STATE', 'conflict');
    spec.given([requested, rejected]).when(approve('u-third')).thenRejects('ERASURE_STATE', 'conflict');
    spec.given([]).when(approve(SECOND)).thenRejects('ERASURE_STATE', 'conflict');
    spec.given([requested]).when(request()).thenRejects('ERASURE_STATE', 'conflict');
  });

  it('the state table is what decide follows, for every command in every status', () => {
    const histories: Record<ErasureStatus, ErasureEvent[]> = {
      NONE: [],
      DIAJUKAN: [requested],
      DISETUJUI: [
        requested,
        { type: 'ErasureApproved', data: { requestId: 'r1', householdId: 'h1', decidedBy: SECOND, subjects: [] } },
      ],
      DITOLAK: [requested, { type: 'ErasureRejected', data: { requestId: 'r1', householdId: 'h1', decidedBy: SECOND } }],
    };
    const commands: ErasureCommand[] = [request(), approve(SECOND), { type: 'rejectErasure', actorId: SECOND }];
    for (const [status, events] of Object.entries(histories) as Array<[ErasureStatus, ErasureEvent[]]>) {
      for (const command of commands) {
        const allowed = ERASURE_TRANSITIONS[command.type].from.includes(status);
        const state = spec.given(events).when(command);
        if (allowed) expect(state.thenState().status).toBe(ERASURE_TRANSITIONS[command.type].to);
        else state.thenRejects('ERASURE_STATE', 'conflict');
      }
    }
  });
});
