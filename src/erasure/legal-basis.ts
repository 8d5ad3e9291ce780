import { BilingualText } from '../shared/decider';

/**
 * The lawful grounds for erasing a subject's personal data (UU PDP No. 27/2022). A request names
 * one of them; the free-text reason explains the case without personal data.
 */
export const LEGAL_BASES = {
  PERMINTAAN_SUBJEK: {
    id: 'Permintaan subjek data untuk menghapus datanya (UU PDP Pasal 8, Pasal 43 ayat 1)',
    en: "The data subject's request to delete their data (PDP Law art. 8, art. 43(1))",
  },
  PENARIKAN_PERSETUJUAN: {
    id: 'Subjek data menarik persetujuan pemrosesan (UU PDP Pasal 9)',
    en: 'The data subject withdrew consent to processing (PDP Law art. 9)',
  },
  TUJUAN_TERCAPAI: {
    id: 'Data tidak lagi diperlukan untuk tujuan pemrosesan (UU PDP Pasal 43 ayat 1)',
    en: 'The data is no longer needed for its purpose (PDP Law art. 43(1))',
  },
  MASA_RETENSI_BERAKHIR: {
    id: 'Masa retensi telah berakhir (UU PDP Pasal 44 ayat 1)',
    en: 'The retention period has ended (PDP Law art. 44(1))',
  },
  PEMROSESAN_TIDAK_SAH: {
    id: 'Data diperoleh atau diproses secara melawan hukum (UU PDP Pasal 43 ayat 1)',
    en: 'The data was obtained or processed unlawfully (PDP Law art. 43(1))',
  },
  PUTUSAN_PENGADILAN: {
    id: 'Putusan atau penetapan pengadilan (UU PDP Pasal 44 ayat 1)',
    en: 'A court order (PDP Law art. 44(1))',
  },
} as const satisfies Record<string, BilingualText>;

export type LegalBasis = keyof typeof LEGAL_BASES;
export const LEGAL_BASIS_CODES = Object.keys(LEGAL_BASES) as LegalBasis[];
