import { stringify } from 'csv-stringify/sync';
import { Trail } from './audit.service';
import { TimelineEntry } from './timeline';

export const TRAIL_COLUMNS = [
  'recordedAt',
  'effectiveOn',
  'what',
  'type',
  'userId',
  'role',
  'region',
  'reason',
  'evidence',
  'ruleVersions',
  'batchId',
  'streamId',
  'streamVersion',
  'position',
];

/** One trail entry as the cells of TRAIL_COLUMNS. */
export function entryRow(e: TimelineEntry, lang: 'id' | 'en'): string[] {
  return [
    e.recordedAt,
    e.effectiveOn,
    e.what[lang],
    e.type,
    e.actor?.userId ?? '',
    e.actor?.role ?? '',
    e.actor?.region ?? '',
    e.reason ?? '',
    e.evidence.map((x) => x.sha256 ?? x.uri ?? '').join(' '),
    Object.entries(e.ruleVersions ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(' '),
    e.batchId ?? '',
    e.streamId,
    String(e.streamVersion),
    e.position,
  ];
}

const rowsOf = (trail: Trail, lang: 'id' | 'en'): string[][] => trail.entries.map((e) => entryRow(e, lang));

/** The trail as CSV: one line per event, who, when, why, evidence hashes and rule versions. */
export function trailCsv(trail: Trail, lang: 'id' | 'en' = 'id'): string {
  return stringify([TRAIL_COLUMNS, ...rowsOf(trail, lang)]);
}

const escape = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The trail as a printable page (the browser prints it to PDF), with the integrity check on top. */
export function trailHtml(trail: Trail, lang: 'id' | 'en' = 'id'): string {
  const title =
    lang === 'id'
      ? `Jejak audit ${trail.subject.type} ${trail.subject.id}`
      : `Audit trail of ${trail.subject.type} ${trail.subject.id}`;
  const integrity = trail.integrity.intact
    ? lang === 'id'
      ? `Bukti integritas utuh (${trail.integrity.eventsChecked} peristiwa diperiksa)`
      : `Integrity evidence intact (${trail.integrity.eventsChecked} events checked)`
    : `${trail.integrity.message[lang]}: ${trail.integrity.broken
        .map((b) => `${b.streamId} (${b.problems.map((p) => p.kind).join(', ')})`)
        .join('; ')}`;
  const headers =
    lang === 'id'
      ? ['Dicatat', 'Berlaku', 'Peristiwa', 'Oleh', 'Alasan', 'Bukti', 'Aturan']
      : ['Recorded', 'Effective', 'Event', 'By', 'Reason', 'Evidence', 'Rules'];
  const rows = rowsOf(trail, lang)
    .map(
      (r) =>
        `<tr>${[r[0].slice(0, 19).replace('T', ' '), r[1], r[2], [r[4], r[5], r[6]].filter(Boolean).join(' · '), r[7], r[8], r[9]].map((c) => `<td>${escape(c)}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font:12px/1.4 system-ui,sans-serif;margin:2em}table{border-collapse:collapse;width:100%}th,td{border:1px solid #999;padding:4px;text-align:left;vertical-align:top}th{background:#eee}.ok{color:#075e00}.broken{color:#a00;font-weight:bold}@media print{body{margin:0}}</style>
</head><body>
<h1>${escape(title)}</h1>
<p class="${trail.integrity.intact ? 'ok' : 'broken'}">${escape(integrity)}</p>
<table><thead><tr>${headers.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>
${rows}
</tbody></table>
</body></html>`;
}
