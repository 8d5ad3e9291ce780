import { BilingualText } from '../shared/decider';

export const NOTIFICATION_TEMPLATES = {
  PERLU_PERBAIKAN: { id: 'Pendaftaran {nomor} perlu perbaikan data.', en: 'Registration {nomor} needs corrections.' },
  DATA_TIDAK_LENGKAP: {
    id: 'Dokumen pendaftaran {nomor} belum lengkap.',
    en: 'Documents of registration {nomor} are incomplete.',
  },
  LAYAK: {
    id: 'Pendaftaran {nomor} dinilai LAYAK dan diteruskan ke musyawarah desa.',
    en: 'Registration {nomor} was assessed eligible.',
  },
  TIDAK_LAYAK: {
    id: 'Pendaftaran {nomor} dinilai TIDAK LAYAK. Anda dapat mengajukan banding.',
    en: 'Registration {nomor} was assessed not eligible. You may appeal.',
  },
  DITOLAK: { id: 'Pendaftaran {nomor} tidak disetujui.', en: 'Registration {nomor} was not approved.' },
  DITETAPKAN: {
    id: 'Rumah tangga Anda telah ditetapkan dalam DTSEN (pendaftaran {nomor}).',
    en: 'Your household is now in the registry (registration {nomor}).',
  },
} as const satisfies Record<string, BilingualText>;
export type NotificationTemplate = keyof typeof NOTIFICATION_TEMPLATES;

/** A message ready to send: the text, the reasons, and where it goes. */
export interface OutgoingNotification {
  readonly notificationId: string;
  readonly caseId: string;
  readonly template: NotificationTemplate;
  readonly to: { readonly phone?: string; readonly email?: string };
  readonly text: BilingualText;
  readonly reasons: readonly unknown[];
}

export function render(template: NotificationTemplate, registrationNumber: string): BilingualText {
  const t = NOTIFICATION_TEMPLATES[template];
  return { id: t.id.replace('{nomor}', registrationNumber), en: t.en.replace('{nomor}', registrationNumber) };
}
