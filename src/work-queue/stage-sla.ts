import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Days a case may wait at each verval stage, and for a status-change decision, before it is
 * overdue (`stage-sla-days.json`, configuration). Appeals and objections carry their own due date.
 * (Not `stage-sla.json`: under Node's own resolution a JSON file of this module's name would shadow it.)
 */
const STAGE_SLA_DAYS: Readonly<Record<string, number>> = JSON.parse(
  fs.readFileSync(path.join(__dirname, 'stage-sla-days.json'), 'utf8'),
);

export function dueOn(stage: string, since: string): string | null {
  const days = STAGE_SLA_DAYS[stage];
  if (days === undefined) return null;
  return new Date(Date.parse(since) + days * 86_400_000).toISOString().slice(0, 10);
}
