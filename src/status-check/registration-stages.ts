import { BilingualText } from '../shared/decider';

/** What an applicant tracking a registration should do next, per public stage of the case. */
const NEXT_STEP: Record<string, BilingualText> = {
  DRAF: {
    id: 'Pendaftaran belum diajukan. Lanjutkan pengisian dengan kode akses Anda, lalu ajukan.',
    en: 'Not submitted yet. Continue with your access code, then submit.',
  },
  PERLU_PERBAIKAN: {
    id: 'Data perlu diperbaiki. Lihat alasannya pada pesan yang dikirim, perbaiki, lalu ajukan kembali.',
    en: 'The data needs correcting. See the reasons sent to you, correct them, and submit again.',
  },
  DATA_TIDAK_LENGKAP: {
    id: 'Dokumen belum lengkap. Unggah dokumen yang kurang atau bawa ke kantor desa.',
    en: 'Documents are missing. Upload them or bring them to the village office.',
  },
  DALAM_PROSES: {
    id: 'Sedang diperiksa petugas (dokumen, validasi, kunjungan lapangan). Tidak ada yang perlu dilakukan; siapkan diri bila dikunjungi.',
    en: 'Staff are checking it (documents, validation, field visit). Nothing to do; be available for a visit.',
  },
  TERVERIFIKASI: {
    id: 'Sudah diverifikasi dan menunggu persetujuan musyawarah desa, kabupaten/kota, provinsi dan penetapan Kemensos.',
    en: 'Verified; awaiting village deliberation, regency, province and ministry approval.',
  },
  DITETAPKAN: {
    id: 'Sudah ditetapkan masuk DTSEN. Cek status bansos dengan nama dan desa untuk melihat program.',
    en: 'Established in DTSEN. Check the status by name and village to see the programs.',
  },
  TIDAK_LAYAK: {
    id: 'Hasil penilaian: tidak layak. Anda dapat mengajukan banding melalui operator desa dalam batas waktu banding.',
    en: 'Assessed not eligible. You may appeal through the village operator within the appeal window.',
  },
  DITOLAK: {
    id: 'Pendaftaran ditolak. Tanyakan alasannya ke operator desa; Anda dapat mendaftar kembali bila keadaan berubah.',
    en: 'The registration was rejected. Ask the village operator why; you may register again if things change.',
  },
  DIBATALKAN: {
    id: 'Pendaftaran dibatalkan. Anda dapat mendaftar kembali kapan saja.',
    en: 'The registration was withdrawn. You may register again at any time.',
  },
};

export function nextStepFor(stage: string): BilingualText | undefined {
  return NEXT_STEP[stage];
}

/** The public name of each stage, as the tracking page shows it. */
export const STAGE_LABELS: Record<string, BilingualText> = {
  DRAF: { id: 'Draf', en: 'Draft' },
  PERLU_PERBAIKAN: { id: 'Perlu Perbaikan', en: 'Needs correction' },
  DATA_TIDAK_LENGKAP: { id: 'Data Tidak Lengkap', en: 'Data incomplete' },
  DALAM_PROSES: { id: 'Dalam Proses', en: 'In process' },
  TERVERIFIKASI: { id: 'Terverifikasi', en: 'Verified' },
  DITETAPKAN: { id: 'Ditetapkan', en: 'Established' },
  TIDAK_LAYAK: { id: 'Tidak Layak', en: 'Not eligible' },
  DITOLAK: { id: 'Ditolak', en: 'Rejected' },
  DIBATALKAN: { id: 'Dibatalkan', en: 'Withdrawn' },
};
