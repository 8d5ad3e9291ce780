import { BilingualText } from '../shared/decider';

/**
 * The people who act on cases. `pemohon` is the applicant of an online self-registration: not a
 * staff account, but the holder of the case's resume token.
 */
export const ROLES = [
  'pemohon',
  'operator_desa',
  'pendamping',
  'dinsos',
  'verifikator_provinsi',
  'kemensos',
  'auditor',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];
export const STAFF_ROLES: readonly Role[] = ROLES.filter((r) => r !== 'pemohon');

export const ROLE_LABELS: Record<Role, BilingualText> = {
  pemohon: { id: 'Pemohon (pendaftaran mandiri)', en: 'Applicant (self-registration)' },
  operator_desa: { id: 'Operator desa/kelurahan', en: 'Village operator' },
  pendamping: { id: 'Pendamping sosial', en: 'Social worker' },
  dinsos: { id: 'Petugas Dinas Sosial kabupaten/kota', en: 'Regency social office caseworker' },
  verifikator_provinsi: { id: 'Verifikator provinsi', en: 'Provincial verifier' },
  kemensos: { id: 'Petugas Kementerian Sosial', en: 'Ministry of Social Affairs officer' },
  auditor: { id: 'Auditor (baca saja, nasional)', en: 'Auditor (read-only, national)' },
  admin: { id: 'Administrator', en: 'Administrator' },
};

/** The region level each staff role works at: its region code has that shape ('' = national). */
export const ROLE_REGION_LEVEL: Record<Role, 'desa' | 'kecamatan' | 'kabupaten' | 'provinsi' | 'nasional'> = {
  pemohon: 'desa',
  operator_desa: 'desa',
  pendamping: 'kecamatan',
  dinsos: 'kabupaten',
  verifikator_provinsi: 'provinsi',
  kemensos: 'nasional',
  auditor: 'nasional',
  admin: 'nasional',
};

/** Who acts: the user, their role and the region they act in. Recorded on every event. */
export interface Principal {
  readonly userId: string;
  readonly role: Role;
  readonly region: string;
}
