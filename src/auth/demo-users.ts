import { Role } from './roles';

/**
 * One demo account per role, all in Kabupaten Bandung (32.04), created on the first start of an
 * empty database when demo data is on (DEMO_DATA, default: on outside production).
 */
export const DEMO_VILLAGE = '32.04.10.2001';
export const DEMO_USERS: ReadonlyArray<{ username: string; displayName: string; role: Role; regionCode: string }> = [
  { username: 'operator.desa', displayName: 'Operator Desa (demo)', role: 'operator_desa', regionCode: DEMO_VILLAGE },
  { username: 'pendamping', displayName: 'Pendamping Sosial (demo)', role: 'pendamping', regionCode: '32.04.10' },
  { username: 'dinsos', displayName: 'Petugas Dinsos (demo)', role: 'dinsos', regionCode: '32.04' },
  { username: 'dinsos.dua', displayName: 'Petugas Dinsos kedua (demo, empat mata)', role: 'dinsos', regionCode: '32.04' },
  {
    username: 'verifikator.provinsi',
    displayName: 'Verifikator Provinsi (demo)',
    role: 'verifikator_provinsi',
    regionCode: '32',
  },
  { username: 'kemensos', displayName: 'Petugas Kemensos (demo)', role: 'kemensos', regionCode: '' },
  { username: 'auditor', displayName: 'Auditor (demo)', role: 'auditor', regionCode: '' },
  { username: 'admin', displayName: 'Administrator (demo)', role: 'admin', regionCode: '' },
];
