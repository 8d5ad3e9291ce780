import { BilingualText } from '../shared/decider';
import { ageOn, Application, headOf } from './application';

export const DOCUMENT_KINDS = {
  KTP: { id: 'KTP kepala keluarga', en: "Head of household's ID card" },
  KK: { id: 'Kartu Keluarga', en: 'Family card' },
  AKTA_KELAHIRAN: { id: 'Akta kelahiran (anggota di bawah 17 tahun)', en: 'Birth certificate (members under 17)' },
  BUKTI_PENGHASILAN: { id: 'Bukti penghasilan', en: 'Proof of income' },
  FOTO_RUMAH: { id: 'Foto rumah (depan dan dalam)', en: 'House photos (outside and inside)' },
  SKTM: { id: 'Surat Keterangan Tidak Mampu (opsional)', en: 'Letter of poverty (optional)' },
  FOTO_KUNJUNGAN: { id: 'Foto kunjungan lapangan', en: 'Field visit photo' },
  BERITA_ACARA: { id: 'Berita acara musyawarah', en: 'Minutes of the deliberation' },
  LAINNYA: { id: 'Dokumen lain', en: 'Other document' },
} as const satisfies Record<string, BilingualText>;
export type DocumentKind = keyof typeof DOCUMENT_KINDS;

/** A stored file, addressed by the SHA-256 of its content. */
export interface AttachedDocument {
  readonly kind: DocumentKind;
  readonly sha256: string;
  readonly mediaType: string;
  readonly sizeBytes: number;
  /** Which member a personal document belongs to (index in the application's member list). */
  readonly memberIndex?: number;
}

export interface MissingDocument {
  readonly kind: DocumentKind;
  readonly memberIndex?: number;
  readonly message: BilingualText;
}

const HOUSE_PHOTOS_REQUIRED = 2;

/** The required documents not yet attached: KTP, KK, birth certificates under 17, income proof, two house photos. */
export function missingDocuments(
  application: Application,
  documents: readonly AttachedDocument[],
  today: string,
): MissingDocument[] {
  const has = (kind: DocumentKind, memberIndex?: number): boolean =>
    documents.some((d) => d.kind === kind && (memberIndex === undefined || d.memberIndex === memberIndex));
  const missing: MissingDocument[] = [];
  const head = headOf(application);
  if (head && !has('KTP', application.members.indexOf(head)))
    missing.push({ kind: 'KTP', memberIndex: application.members.indexOf(head), message: DOCUMENT_KINDS.KTP });
  if (!has('KK')) missing.push({ kind: 'KK', message: DOCUMENT_KINDS.KK });
  application.members.forEach((m, i) => {
    if (ageOn(m.birthDate, today) < 17 && !has('AKTA_KELAHIRAN', i)) {
      missing.push({
        kind: 'AKTA_KELAHIRAN',
        memberIndex: i,
        message: { id: `Akta kelahiran anggota #${i + 1}`, en: `Birth certificate of member #${i + 1}` },
      });
    }
  });
  if (!has('BUKTI_PENGHASILAN')) missing.push({ kind: 'BUKTI_PENGHASILAN', message: DOCUMENT_KINDS.BUKTI_PENGHASILAN });
  const photos = documents.filter((d) => d.kind === 'FOTO_RUMAH').length;
  if (photos < HOUSE_PHOTOS_REQUIRED) {
    missing.push({
      kind: 'FOTO_RUMAH',
      message: {
        id: `Foto rumah (${photos} dari ${HOUSE_PHOTOS_REQUIRED})`,
        en: `House photos (${photos} of ${HOUSE_PHOTOS_REQUIRED})`,
      },
    });
  }
  return missing;
}
