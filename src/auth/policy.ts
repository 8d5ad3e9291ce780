import { isWithinRegion } from '../reference/idn-area-data';
import { reject, Rejection } from '../shared/decider';
import { Principal, Role, STAFF_ROLES } from './roles';

/**
 * The one authorisation rule: a principal may take an action when its role is among the
 * action's roles and the target region lies within the principal's region. Verval actions take
 * their roles from the state machine table; the other actions are listed here.
 */
export const PERMISSIONS = {
  'registrations:read': STAFF_ROLES,
  'registrations:create': ['operator_desa', 'pendamping'],
  'documents:upload': ['operator_desa', 'pendamping', 'dinsos', 'verifikator_provinsi', 'kemensos'],
  'dukcapil:import': ['admin'],
  'signals:import': ['admin'],
  // Reverting a wrongful batch (signal file, approvals, quota change) is a national decision.
  'batches:revert': ['admin', 'kemensos'],
  // The audit trail of a household or case, its "why" and time travel; the access log is auditors' alone.
  'audit:read': ['auditor', 'dinsos', 'verifikator_provinsi', 'kemensos'],
  'audit:access-log': ['auditor'],
  // Giving a case in the queue to a named caseworker, and seeing the load per caseworker.
  'queues:assign': ['dinsos', 'verifikator_provinsi', 'kemensos'],
  'dashboard:read': STAFF_ROLES,
  'users:manage': ['admin'],
  'notifications:read': ['admin', 'auditor'],
  'households:read': STAFF_ROLES,
  'programs:set-quota': ['kemensos'],
  'programs:approve-list': ['kemensos', 'dinsos'],
  'programs:read-list': STAFF_ROLES,
  // Erasure (UU PDP): the regency social office asks and a second officer of it decides (four eyes).
  'erasure:request': ['dinsos'],
  'erasure:decide': ['dinsos'],
  'erasure:read': ['dinsos', 'auditor'],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

export function authorize(principal: Principal, allowedRoles: readonly Role[], targetRegion: string): Rejection | undefined {
  if (!allowedRoles.includes(principal.role)) {
    return reject('forbidden', 'ROLE_NOT_ALLOWED', {
      id: `Peran ${principal.role} tidak berwenang untuk tindakan ini`,
      en: `Role ${principal.role} may not take this action`,
    });
  }
  if (!isWithinRegion(targetRegion, principal.region)) {
    return reject('forbidden', 'OUTSIDE_REGION', {
      id: 'Kasus ini berada di luar wilayah kerja Anda',
      en: 'This case is outside your region',
    });
  }
  return undefined;
}

export function authorizePermission(principal: Principal, permission: Permission, targetRegion: string): Rejection | undefined {
  return authorize(principal, PERMISSIONS[permission], targetRegion);
}
