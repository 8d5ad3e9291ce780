import { RecordedEvent } from '../event-store/envelope';
import { STATUS_CHANGE_KINDS, StatusChangeKind } from '../status-changes/status-change';
import { BilingualText } from '../shared/decider';

type Describe = (data: any, event: RecordedEvent) => BilingualText;
const t = (id: string, en: string): BilingualText => ({ id, en });

/** `enrolment-<PROGRAM>_<regency>_<period>` → "PKH 2026-Q4". */
export function listLabel(streamId: string): string {
  const [program, , period] = streamId.slice('enrolment-'.length).split('_');
  return `${program} ${period}`;
}
const list = (e: RecordedEvent) => listLabel(e.streamId);

/** Plain-language lines for the audit trail, in Bahasa Indonesia and English. */
const DESCRIPTIONS: Record<string, Describe> = {
  RegistrationDraftSaved: (d) => t(`Draf pendaftaran disimpan (saluran ${d.channel})`, `Registration draft saved (${d.channel})`),
  RegistrationDocumentAttached: (d) => t(`Dokumen ${d.document?.kind} diunggah`, `Document ${d.document?.kind} attached`),
  RegistrationSubmitted: (d) =>
    t(`Pendaftaran diajukan (${d.registrationNumber})`, `Registration submitted (${d.registrationNumber})`),
  AutomaticChecksPassed: () => t('Lolos pemeriksaan otomatis', 'Automatic checks passed'),
  AutomaticChecksFailed: (d) =>
    t(`Gagal pemeriksaan otomatis (${d.reasons?.length} alasan)`, `Automatic checks failed (${d.reasons?.length} reasons)`),
  DocumentsFoundComplete: () => t('Dokumen lengkap', 'Documents complete'),
  DocumentsFoundIncomplete: () => t('Dokumen tidak lengkap', 'Documents incomplete'),
  DocumentsResubmitted: () => t('Dokumen dikirim ulang', 'Documents resubmitted'),
  RegistrationValidated: () => t('Data divalidasi', 'Data validated'),
  RegistrationValidationFailed: () => t('Data tidak sesuai dokumen', 'Data did not match the documents'),
  FieldVerificationRecorded: (d) => t(`Verifikasi lapangan ${d.visitedOn}`, `Field visit on ${d.visitedOn}`),
  EligibilityAssessed: (d) =>
    t(
      `Analisis kelayakan: ${d.result?.outcome}, desil ${d.result?.desil} (model PMT ${d.result?.modelVersion})`,
      `Eligibility assessed: ${d.result?.outcome}, desil ${d.result?.desil} (PMT model ${d.result?.modelVersion})`,
    ),
  EligibilityOverrideProposed: (d) =>
    t(`Koreksi hasil diusulkan: ${d.proposedOutcome}`, `Override proposed: ${d.proposedOutcome}`),
  EligibilityOverrideDecided: (d) => t(`Koreksi hasil diputuskan: ${d.outcome}`, `Override decided: ${d.outcome}`),
  ApprovalDecided: (d) =>
    t(
      `${d.approved ? 'Disetujui' : 'Ditolak'} tingkat ${d.level}`,
      `${d.approved ? 'Approved' : 'Rejected'} at ${d.level} level`,
    ),
  RegistrationEstablished: (d) =>
    t(
      `Ditetapkan masuk DTSEN, desil ${d.desil} (${d.classification})`,
      `Established in DTSEN, desil ${d.desil} (${d.classification})`,
    ),
  RegistrationWithdrawn: () => t('Pendaftaran dibatalkan', 'Registration withdrawn'),
  RegistrationReopenedByAppeal: () => t('Dibuka kembali karena banding dikabulkan', 'Reopened by an upheld appeal'),
  BatchDecisionReverted: (d) => t(`Persetujuan batch tingkat ${d.level} dibatalkan`, `Batch ${d.level} approval reverted`),
  HouseholdEstablished: (d) =>
    t(
      `Rumah tangga tercatat di DTSEN, desil ${d.desil} (${d.classification})`,
      `Household entered DTSEN, desil ${d.desil} (${d.classification})`,
    ),
  MemberDied: (d) =>
    t(`Anggota ke-${d.memberIndex + 1} meninggal pada ${d.diedOn}`, `Member ${d.memberIndex + 1} died on ${d.diedOn}`),
  MemberDeathRetracted: (d) =>
    t(`Catatan kematian anggota ke-${d.memberIndex + 1} dibatalkan`, `Death of member ${d.memberIndex + 1} retracted`),
  MemberBorn: () => t('Anggota baru lahir', 'A member was born'),
  MemberCorrected: (d) => t(`Data anggota ke-${d.memberIndex + 1} diperbaiki`, `Member ${d.memberIndex + 1} corrected`),
  HouseholdMoved: (d) =>
    t(`Pindah dari ${d.fromVillageCode} ke ${d.toVillageCode}`, `Moved from ${d.fromVillageCode} to ${d.toVillageCode}`),
  HouseholdDeactivated: (d) => t(`Dinonaktifkan dari DTSEN (${d.reason})`, `Deactivated from DTSEN (${d.reason})`),
  HouseholdReinstated: () => t('Diaktifkan kembali (batch dibatalkan)', 'Reinstated (batch reverted)'),
  HouseholdReverified: () => t('Diverifikasi ulang', 'Re-verified'),
  HouseholdReranked: (d) =>
    t(`Diperingkat ulang: desil ${d.desil} (${d.classification})`, `Re-ranked: desil ${d.desil} (${d.classification})`),
  HouseholdEnrolled: (d, e) =>
    t(
      `Masuk ${list(e)} (aturan ${d.ruleVersion}, kuota ${d.quota}, urutan ${d.enrolledCount}${d.promotedFromWaitlist ? ', dari daftar tunggu' : ''})`,
      `Enrolled in ${list(e)} (rule ${d.ruleVersion}, quota ${d.quota}, place ${d.enrolledCount}${d.promotedFromWaitlist ? ', from the waitlist' : ''})`,
    ),
  HouseholdWaitlisted: (d, e) =>
    t(
      `Masuk daftar tunggu ${list(e)}: peringkat ${d.rank} (kuota ${d.quota} penuh; aturan ${d.ruleVersion})`,
      `Waitlisted for ${list(e)}: rank ${d.rank} (quota ${d.quota} full; rule ${d.ruleVersion})`,
    ),
  HouseholdLeftWaitlist: (d, e) =>
    t(
      `Keluar dari daftar tunggu ${list(e)} (${d.reasons?.join(', ')})`,
      `Left the ${list(e)} waitlist (${d.reasons?.join(', ')})`,
    ),
  HouseholdExited: (d, e) =>
    t(
      `Keluar dari ${list(e)} (${d.reasons?.join(', ')}; aturan ${d.ruleVersion})`,
      `Exited ${list(e)} (${d.reasons?.join(', ')}; rule ${d.ruleVersion})`,
    ),
  StatusChangeRequested: (d) => {
    const kind = STATUS_CHANGE_KINDS[d.details?.kind as StatusChangeKind] ?? t(d.details?.kind, d.details?.kind);
    return t(
      `Perubahan status diajukan: ${kind.id} (sumber ${d.source?.type})`,
      `Status change requested: ${kind.en} (source ${d.source?.type})`,
    );
  },
  StatusChangeApproved: () => t('Perubahan status disetujui', 'Status change approved'),
  StatusChangeRejected: () => t('Perubahan status ditolak', 'Status change rejected'),
  StatusChangeWithdrawn: () => t('Perubahan status ditarik (batch dibatalkan)', 'Status change withdrawn (batch reverted)'),
  StatusChangeReverted: () => t('Perubahan status dibatalkan (batch dibatalkan)', 'Status change reverted (batch reverted)'),
  AppealFiled: (d) =>
    t(`Banding diajukan atas ${d.subject?.type} (batas ${d.dueOn})`, `Appeal filed against ${d.subject?.type} (due ${d.dueOn})`),
  ObjectionFiled: (d) => t(`Sanggah warga diajukan (batas ${d.dueOn})`, `Objection filed by a resident (due ${d.dueOn})`),
  AppealAssigned: (d) => t(`Ditugaskan ke ${d.caseworkerId}`, `Assigned to ${d.caseworkerId}`),
  AppealUpheld: (d) => t(`Dikabulkan${d.overdue ? ' (lewat batas waktu)' : ''}`, `Upheld${d.overdue ? ' (overdue)' : ''}`),
  AppealDismissed: (d) => t(`Ditolak${d.overdue ? ' (lewat batas waktu)' : ''}`, `Dismissed${d.overdue ? ' (overdue)' : ''}`),
};

export function describeEvent(event: RecordedEvent): BilingualText {
  return DESCRIPTIONS[event.type]?.(event.data ?? {}, event) ?? t(event.type, event.type);
}
