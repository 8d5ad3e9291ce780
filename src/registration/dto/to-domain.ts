import { EvidenceRef } from '../../event-store/envelope';
import { Application } from '../application';
import { SaveDraftDto } from './application.dto';
import { CommandBodyDto } from './common.dto';

/** The reason and evidence of a command body, leaving out what was not given. */
export function withReasonAndEvidence(body: CommandBodyDto): { reason?: string; evidence?: EvidenceRef[] } {
  return { ...(body.reason ? { reason: body.reason } : {}), ...(body.evidence?.length ? { evidence: body.evidence } : {}) };
}

/** The application as the domain keeps it: plain data, absent fields left out. */
export function toApplication(body: SaveDraftDto): Application {
  const a = body.application;
  return {
    villageCode: a.villageCode,
    kkNumber: a.kkNumber,
    address: a.address,
    contact: { ...(a.contact.phone ? { phone: a.contact.phone } : {}), ...(a.contact.email ? { email: a.contact.email } : {}) },
    members: a.members.map(({ nik, fullName, birthDate, sex, relation, maritalStatus }) => ({
      nik,
      fullName,
      birthDate,
      sex,
      relation,
      maritalStatus,
    })),
    declaredIndicators: a.declaredIndicators,
    ...(a.proposer
      ? { proposer: { fullName: a.proposer.fullName, ...(a.proposer.phone ? { phone: a.proposer.phone } : {}) } }
      : {}),
  };
}
