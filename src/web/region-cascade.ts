import { RegionDirectory } from '../reference/region-directory';
import { WebContext } from './web-context';

export interface CascadeLevel {
  readonly level: string;
  readonly label: string;
  readonly parent: string;
  readonly options: ReadonlyArray<{ code: string; name: string }>;
  readonly selected: string;
}

/**
 * Province → regency → district → village selects, filled on the server down to the chosen
 * village (so a re-shown form keeps it); wilayah.js loads the next level when one changes.
 * `within` narrows the choice to a staff member's own region.
 */
export function regionCascade(regions: RegionDirectory, web: WebContext, villageCode = '', within = ''): CascadeLevel[] {
  const chosen = regions.isVillage(villageCode)
    ? regions.ancestry(villageCode).map((r) => r.code)
    : within
        .split('.')
        .map((_, i, parts) => parts.slice(0, i + 1).join('.'))
        .filter(Boolean);
  const labels = [
    web.t('Provinsi', 'Province'),
    web.t('Kabupaten/kota', 'Regency/city'),
    web.t('Kecamatan', 'District'),
    web.t('Desa/kelurahan', 'Village'),
  ];
  const levels = ['provinsi', 'kabupaten', 'kecamatan', 'desa'];
  return levels.map((level, i) => {
    const parent = i === 0 ? '' : (chosen[i - 1] ?? '');
    const options =
      i === 0 || parent
        ? regions.children(parent, { page: 1, pageSize: 10_000 }).items.map((r) => ({ code: r.code, name: r.name }))
        : [];
    return { level, label: labels[i], parent, options, selected: chosen[i] ?? '' };
  });
}
