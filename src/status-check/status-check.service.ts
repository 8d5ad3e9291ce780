import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ProgramCatalogue } from '../programs/program-catalogue';
import { RegionDirectory } from '../reference/region-directory';
import { Settings, SETTINGS } from '../config/settings.module';
import { NameKey, nameKeyFor } from './name-key';
import { BilingualText } from '../shared/decider';
import { ApiError } from '../shared/http/api-error';
import { StatusCheckRow } from '../../projections/status-check/status-check.entity';

export type StatusCategory = 'PENERIMA' | 'BELUM_MENERIMA' | 'TIDAK_TERDAFTAR' | 'DATA_TIDAK_LENGKAP';

/** What each result means and what the person can do next, in the users' words. */
export const STATUS_CATEGORIES: Record<StatusCategory, { label: BilingualText; nextStep: BilingualText }> = {
  PENERIMA: {
    label: { id: 'Terdaftar sebagai Penerima', en: 'Registered as a recipient' },
    nextStep: {
      id: 'Bantuan disalurkan sesuai jadwal program. Laporkan perubahan keluarga (kelahiran, kematian, pindah) ke operator desa.',
      en: 'Aid is paid on the program schedule. Report family changes (births, deaths, moves) to the village operator.',
    },
  },
  BELUM_MENERIMA: {
    label: { id: 'Terdaftar tapi Belum Menerima', en: 'Registered, not yet receiving' },
    nextStep: {
      id: 'Keluarga ini ada di DTSEN tetapi belum mendapat program (kuota penuh atau belum memenuhi syarat). Tidak perlu mendaftar ulang.',
      en: 'The family is in DTSEN but holds no program yet (quota full or not eligible). No need to register again.',
    },
  },
  TIDAK_TERDAFTAR: {
    label: { id: 'Tidak Terdaftar', en: 'Not registered' },
    nextStep: {
      id: 'Periksa kembali ejaan nama sesuai KTP dan desa. Bila memang belum terdaftar, daftar melalui operator desa atau secara daring.',
      en: 'Check the spelling of the name as on the KTP and the village. If not registered, register at the village office or online.',
    },
  },
  DATA_TIDAK_LENGKAP: {
    label: { id: 'Data Tidak Lengkap', en: 'Data incomplete' },
    nextStep: {
      id: 'Pendaftaran ditemukan tetapi datanya belum lengkap. Lengkapi dokumen/perbaikan melalui operator desa atau tautan pendaftaran Anda.',
      en: 'A registration was found but its data is incomplete. Complete it at the village office or through your registration link.',
    },
  },
};

export interface StatusCheckResult {
  readonly name: string;
  readonly category: StatusCategory;
  readonly label: BilingualText;
  readonly nextStep: BilingualText;
  readonly programs: Array<{ program: string; name: BilingualText; period: string }>;
  readonly waitlisted: Array<{ program: string; name: BilingualText; period: string }>;
}

const MAX_RESULTS = 20;

/** The public status check (Cek Bansos): one indexed read, nothing personal beyond the masked name. */
@Injectable()
export class StatusCheck {
  constructor(
    private readonly dataSource: DataSource,
    private readonly regions: RegionDirectory,
    private readonly catalogue: ProgramCatalogue,
    @Inject(SETTINGS) settings: Settings,
  ) {
    this.nameKey = nameKeyFor(settings.keyEncryptionKey);
  }

  private readonly nameKey: NameKey;

  async search(villageCode: string, name: string): Promise<{ village: object; results: StatusCheckResult[] }> {
    if (!this.regions.isVillage(villageCode))
      throw new ApiError(422, 'VILLAGE_UNKNOWN', { id: 'Desa/kelurahan tidak dikenal', en: 'Unknown village' });
    const rows: StatusCheckRow[] = await this.dataSource.query(
      `select masked_name as "maskedName", source, active, deceased, incomplete, programs, waitlisted
       from status_check where village_code = $1 and name_key = $2 order by person_key limit ${MAX_RESULTS}`,
      [villageCode, this.nameKey(name)],
    );
    const results = rows.map((r) => this.result(r)).filter((r): r is StatusCheckResult => r !== undefined);
    const village = this.regions.ancestry(villageCode).map((r) => ({ code: r.code, name: r.name }));
    return {
      village,
      results: results.length > 0 ? results : [{ ...this.describe('TIDAK_TERDAFTAR'), name: '', programs: [], waitlisted: [] }],
    };
  }

  private result(row: StatusCheckRow): StatusCheckResult | undefined {
    if (row.source === 'registration' && !row.incomplete) return undefined; // in process: not in the registry yet
    const category: StatusCategory =
      row.source === 'registration'
        ? 'DATA_TIDAK_LENGKAP'
        : !row.active || row.deceased
          ? 'TIDAK_TERDAFTAR'
          : row.programs.length > 0
            ? 'PENERIMA'
            : 'BELUM_MENERIMA';
    const named = (h: { program: string; period: string }) => ({
      program: h.program,
      name: this.catalogue.name(h.program) ?? { id: h.program, en: h.program },
      period: h.period,
    });
    const holds = category === 'PENERIMA' || category === 'BELUM_MENERIMA';
    return {
      name: row.maskedName,
      ...this.describe(category),
      programs: holds ? row.programs.map(named) : [],
      waitlisted: holds ? row.waitlisted.map(named) : [],
    };
  }

  private describe(category: StatusCategory): { category: StatusCategory; label: BilingualText; nextStep: BilingualText } {
    return { category, ...STATUS_CATEGORIES[category] };
  }
}
