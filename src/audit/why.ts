import { BilingualText } from '../shared/decider';
import { TimelineEntry } from './timeline';

export type ProgramStanding = 'PENERIMA' | 'DAFTAR_TUNGGU' | 'KELUAR' | 'TIDAK_TERCATAT';

export interface WhyAnswer {
  readonly householdId: string;
  readonly program: string;
  readonly standing: ProgramStanding;
  readonly period?: string;
  /** The decisive events, oldest first: the list decision, what caused it, and who decided that. */
  readonly chain: readonly TimelineEntry[];
  readonly text: BilingualText;
}

const LIST_EVENTS: Record<string, Exclude<ProgramStanding, 'TIDAK_TERCATAT'>> = {
  HouseholdEnrolled: 'PENERIMA',
  HouseholdWaitlisted: 'DAFTAR_TUNGGU',
  HouseholdExited: 'KELUAR',
  HouseholdLeftWaitlist: 'KELUAR',
};

/**
 * Why a household holds, waits for or left a program: the latest decision on the program's lists
 * and the chain of events behind it, each with its actor, reason and rule versions. Pure: it reads
 * the household's timeline (oldest first) and nothing else.
 */
export function explain(householdId: string, program: string, timeline: readonly TimelineEntry[]): WhyAnswer {
  const decisions = timeline.filter((e) => e.streamId.startsWith(`enrolment-${program}_`) && e.type in LIST_EVENTS);
  const last = decisions.at(-1);
  if (!last) {
    return {
      householdId,
      program,
      standing: 'TIDAK_TERCATAT',
      chain: [],
      text: {
        id: `Rumah tangga ini belum pernah tercatat pada daftar ${program}: tidak memenuhi syarat program itu sejak ditetapkan.`,
        en: `This household has never been on a ${program} list: it has not met that program's rules since it was established.`,
      },
    };
  }
  const standing = LIST_EVENTS[last.type];
  const period = last.streamId.split('_').at(-1);
  const chain = sortByPosition([...causesOf(last, timeline), ...(standing === 'PENERIMA' ? earlierExit(last, decisions) : [])]);
  const header = HEADERS[standing](program, period!);
  return {
    householdId,
    program,
    standing,
    period,
    chain,
    text: {
      id: [header.id, ...chain.map((e) => `- ${line(e, 'id')}`)].join('\n'),
      en: [header.en, ...chain.map((e) => `- ${line(e, 'en')}`)].join('\n'),
    },
  };
}

const HEADERS: Record<Exclude<ProgramStanding, 'TIDAK_TERCATAT'>, (p: string, period: string) => BilingualText> = {
  PENERIMA: (p, period) => ({
    id: `Rumah tangga ini menerima ${p} pada periode ${period}. Rantai keputusannya:`,
    en: `This household receives ${p} in ${period}. The chain of decisions:`,
  }),
  DAFTAR_TUNGGU: (p, period) => ({
    id: `Rumah tangga ini memenuhi syarat ${p} tetapi kuota periode ${period} penuh: ia menunggu di daftar tunggu. Rantai keputusannya:`,
    en: `This household meets the ${p} rules but the ${period} quota is full: it is on the waitlist. The chain of decisions:`,
  }),
  KELUAR: (p, period) => ({
    id: `Rumah tangga ini keluar dari ${p} pada periode ${period}. Rantai keputusannya:`,
    en: `This household left ${p} in ${period}. The chain of decisions:`,
  }),
};

/** The event and, recursively, what caused it: the trigger, the case that decided it, the appeal behind that. */
function causesOf(entry: TimelineEntry, timeline: readonly TimelineEntry[], seen = new Set<string>()): TimelineEntry[] {
  if (seen.has(entry.eventId)) return [];
  seen.add(entry.eventId);
  const data = entry.data as {
    cause?: string;
    changeCaseId?: string;
    source?: { objectionId?: string; appealId?: string };
  };
  const related: TimelineEntry[] = [];
  const trigger = data.cause ? timeline.find((e) => e.eventId === data.cause) : undefined;
  if (trigger) related.push(trigger);
  if (data.changeCaseId)
    related.push(...inStream(timeline, `statuschange-${data.changeCaseId}`, ['StatusChangeRequested', 'StatusChangeApproved']));
  if (data.source?.objectionId)
    related.push(...inStream(timeline, `sanggah-${data.source.objectionId}`, ['ObjectionFiled', 'AppealUpheld']));
  if (data.source?.appealId)
    related.push(...inStream(timeline, `banding-${data.source.appealId}`, ['AppealFiled', 'AppealUpheld']));
  if (entry.type === 'AppealUpheld') related.push(...inStream(timeline, entry.streamId, ['AppealFiled']));
  if (entry.type === 'HouseholdEstablished')
    related.push(...timeline.filter((e) => e.type === 'RegistrationEstablished' || e.type === 'EligibilityAssessed').slice(-2));
  return [entry, ...related.flatMap((r) => causesOf(r, timeline, seen))];
}

/** A household back on a program after an upheld appeal: the exit it overturned belongs to the story. */
function earlierExit(last: TimelineEntry, decisions: readonly TimelineEntry[]): TimelineEntry[] {
  const before = decisions.filter((e) => e.position !== last.position);
  const exit = before.filter((e) => e.type === 'HouseholdExited').at(-1);
  return exit ? [exit] : [];
}

function inStream(timeline: readonly TimelineEntry[], streamId: string, types: readonly string[]): TimelineEntry[] {
  return timeline.filter((e) => e.streamId === streamId && types.includes(e.type));
}

function sortByPosition(entries: TimelineEntry[]): TimelineEntry[] {
  const unique = [...new Map(entries.map((e) => [e.eventId, e])).values()];
  const key = (e: TimelineEntry) =>
    e.position
      .split('/')
      .map((n) => n.padStart(20, '0'))
      .join('/');
  return unique.sort((a, b) => key(a).localeCompare(key(b)));
}

function line(e: TimelineEntry, lang: 'id' | 'en'): string {
  const who = e.actor
    ? ` — ${lang === 'id' ? 'oleh' : 'by'} ${e.actor.userId} (${e.actor.role}${e.actor.region ? `, ${e.actor.region}` : ''})`
    : '';
  const why = e.reason ? `; ${lang === 'id' ? 'alasan' : 'reason'}: "${e.reason}"` : '';
  const rules = e.ruleVersions
    ? `; ${lang === 'id' ? 'aturan' : 'rules'} ${Object.entries(e.ruleVersions)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`
    : '';
  const effective =
    e.effectiveOn !== e.recordedAt.slice(0, 10) ? ` (${lang === 'id' ? 'berlaku' : 'effective'} ${e.effectiveOn})` : '';
  return `${e.recordedAt.slice(0, 10)}${effective}: ${e.what[lang]}${who}${why}${rules}`;
}
