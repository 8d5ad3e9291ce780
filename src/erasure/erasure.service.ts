import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { authorizePermission, Permission } from '../auth/policy';
import { derivedSecret } from '../auth/tokens.service';
import { Principal } from '../auth/roles';
import { Settings, SETTINGS } from '../config/settings.module';
import { DocumentStore, documentSubject } from '../documents/document-store';
import { ERASED, KeyStore } from '../event-store/crypto-shredding';
import { RecordedEvent } from '../event-store/envelope';
import { KEY_STORE } from '../event-store/event-store.module';
import { commandMetadata, loadState } from '../event-store/load-state';
import { EVENT_STORE, EventStore } from '../event-store/port';
import { formatPosition } from '../event-store/position';
import { householdDecider, HouseholdState } from '../household/decider';
import { NikClaims } from '../registration/nik-claims';
import { householdStreamId } from '../registration/registration-cases.service';
import { isRejection } from '../shared/decider';
import { ApiError } from '../shared/http/api-error';
import { ErasureCommand } from './commands';
import { erasureDecider, ErasureState } from './decider';
import { ErasureRegister, identifierKey, RegisterEntry } from './erasure-register';
import { erasureStreamId } from './events';
import { LegalBasis } from './legal-basis';

export interface ErasureResult {
  readonly requestId: string;
  readonly householdId: string;
  readonly status: ErasureState['status'];
  readonly version: number;
  /** Global position of the event written: pass it as `afterPosition` to read your write. */
  readonly position: string;
}

/** Streams about a household whose personal data is the household's (an objector is someone else). */
const SUBJECT_CATEGORIES = ['registration', 'statuschange', 'banding'];

/**
 * Erasure requests: load the request by folding its stream, decide, append; on approval destroy
 * the subject's keys (crypto-shredding: the events stay, their personal fields can no longer be
 * read), erase the documents only its cases refer to, drop its rows from the Dukcapil extract and
 * release its NIK claims. Read models drop it when their projections see ErasureApproved.
 */
@Injectable()
export class Erasures {
  private readonly logger = new Logger('Erasures');
  readonly register: ErasureRegister;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(KEY_STORE) private readonly keys: KeyStore,
    private readonly documents: DocumentStore,
    private readonly dataSource: DataSource,
    private readonly claims: NikClaims,
    @Inject(SETTINGS) settings: Settings,
  ) {
    this.register = new ErasureRegister(settings.config.erasureRegisterFile);
    this.logInPostgres = !settings.config.eventStoreConnectionString;
    this.identifierSecret = derivedSecret(settings.keyEncryptionKey, 'erasure-register-identifier');
  }

  /** Keys the identifier hashes in the register (derived from the key-encryption key, not stored). */
  private readonly identifierSecret: Buffer;

  /** Whether the event log is the PostgreSQL adapter's `es_events` (documents' sharing is checked there). */
  private readonly logInPostgres: boolean;

  load(requestId: string): Promise<{ state: ErasureState; version: number }> {
    return loadState(this.store, erasureDecider, erasureStreamId(requestId));
  }

  /** The request, for staff of its region (ids and codes only). */
  async get(requestId: string, principal: Principal): Promise<ErasureState & { version: number }> {
    const { state, version } = await this.load(requestId);
    if (state.status === 'NONE') throw ApiError.notFound({ id: 'Permintaan penghapusan', en: 'Erasure request' });
    this.authorize(principal, 'erasure:read', state.villageCode!);
    return { ...state, version };
  }

  async request(principal: Principal, householdId: string, legalBasis: LegalBasis, reason: string): Promise<ErasureResult> {
    const household = await this.household(householdId);
    this.authorize(principal, 'erasure:request', household.villageCode!);
    if (await this.erased(householdId)) {
      throw new ApiError(409, 'ALREADY_ERASED', {
        id: 'Data pribadi rumah tangga ini sudah dihapus',
        en: "This household's personal data has already been erased",
      });
    }
    const requestId = randomUUID();
    const command: ErasureCommand = {
      type: 'requestErasure',
      requestId,
      householdId,
      villageCode: household.villageCode!,
      legalBasis,
      reason,
      actorId: principal.userId,
      personalTerms: personalTerms(household),
    };
    return this.run(requestId, command, principal, 0);
  }

  async decide(principal: Principal, requestId: string, approve: boolean, expectedVersion?: number): Promise<ErasureResult> {
    const { state, version } = await this.load(requestId);
    if (state.status === 'NONE') throw ApiError.notFound({ id: 'Permintaan penghapusan', en: 'Erasure request' });
    this.authorize(principal, 'erasure:decide', state.villageCode!);
    if (expectedVersion !== undefined && expectedVersion !== version) {
      throw new ApiError(409, 'VERSION_CONFLICT', {
        id: 'Permintaan ini telah berubah; muat ulang',
        en: 'The request has changed; reload it',
      });
    }
    if (!approve) return this.run(requestId, { type: 'rejectErasure', actorId: principal.userId }, principal, version);
    const household = await this.household(state.householdId!);
    const streams = await this.subjectStreams(state.householdId!, household);
    const documents = await this.documentsOnlyOf(streams);
    const subjects = [...streams, ...documents.map(documentSubject)];
    const command: ErasureCommand = { type: 'approveErasure', actorId: principal.userId, subjects };
    // Checked before anything is written or destroyed: a refusal (four eyes) leaves all as it was.
    const decided = erasureDecider.decide(command, state);
    if (isRejection(decided)) throw ApiError.fromRejection(decided);
    const niks = household.members.map((m) => m.nik);
    // The register first: once it holds the entry, a crash at any later point is finished at the
    // next start (ErasureEnforcer), and a restored backup is erased again.
    const kk = household.established?.kkNumber;
    await this.register.add({
      requestId,
      householdId: state.householdId!,
      subjects,
      decidedBy: principal.userId,
      actor: principal,
      identifierKeys: [...niks, ...(kk ? [kk] : [])]
        .filter((i) => i !== ERASED)
        .map((i) => identifierKey(this.identifierSecret, i)),
    });
    const result = await this.run(requestId, command, principal, version);
    try {
      // While the NIKs are still known (they are unreadable once the keys are gone).
      await this.forgetIdentifiers(state.householdId!, household, niks, principal);
    } catch (err) {
      this.logger.warn(`erasure ${requestId}: extract rows or NIK claims not released (${(err as Error).name})`);
    }
    await this.apply(subjects);
    this.logger.log(`erasure ${requestId} applied: ${subjects.length} keys destroyed`);
    return result;
  }

  /**
   * Finishes an erasure the register holds: appends the approval if a crash came between the
   * register and the event (the request is still DIAJUKAN), then destroys the keys. After a restore
   * of an older backup the request may be missing altogether: the register alone then decides.
   */
  async reapply(entry: RegisterEntry): Promise<void> {
    const { state, version } = await this.load(entry.requestId);
    if (state.status === 'DIAJUKAN') {
      await this.run(
        entry.requestId,
        { type: 'approveErasure', actorId: entry.decidedBy, subjects: entry.subjects },
        entry.actor,
        version,
      );
    }
    await this.apply(entry.subjects);
    await this.forgetIdentifierKeys(entry.identifierKeys ?? []);
  }

  /** Every erased identifier's rows out of the extract: run inside each Dukcapil import's transaction. */
  async forgetErasedResidents(m: EntityManager): Promise<void> {
    const entries = await this.register.entries();
    await this.forgetIdentifierKeys(
      entries.flatMap((e) => e.identifierKeys ?? []),
      m,
    );
  }

  /**
   * Deletes the extract's rows of erased NIKs and KK numbers that a restored backup brought back,
   * matched by keyed hash inside PostgreSQL (one scan of the extract; nothing leaves the database).
   */
  private async forgetIdentifierKeys(
    identifierKeys: readonly string[],
    m: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    if (!identifierKeys.length) return;
    await m.query(
      `delete from dukcapil_residents
       where encode(sha256($1::bytea || convert_to(nik, 'UTF8')), 'hex') = any($2)
          or encode(sha256($1::bytea || convert_to(kk_number, 'UTF8')), 'hex') = any($2)`,
      [this.identifierSecret, identifierKeys],
    );
  }

  /** Destroys the subjects' keys and deletes their document files; idempotent (re-run at start). */
  async apply(subjects: readonly string[]): Promise<void> {
    for (const subject of subjects) {
      if (subject.startsWith('document-')) await this.documents.erase([subject.slice('document-'.length)]);
      else await this.keys.destroy(subject);
    }
  }

  private async run(requestId: string, command: ErasureCommand, principal: Principal, version: number): Promise<ErasureResult> {
    const { state } = await this.load(requestId);
    const events = erasureDecider.decide(command, state);
    if (isRejection(events)) throw ApiError.fromRejection(events);
    const metadata = commandMetadata({ actor: principal });
    const appended = await this.store.append(
      erasureStreamId(requestId),
      events.map((e) => ({ ...e, metadata })),
      { expectedVersion: version === 0 ? 'no_stream' : version },
    );
    const final = events.reduce(erasureDecider.evolve, state);
    return {
      requestId,
      householdId: final.householdId!,
      status: final.status,
      version: appended.streamVersion,
      position: formatPosition(appended.position),
    };
  }

  private authorize(principal: Principal, permission: Permission, region: string): void {
    const denied = authorizePermission(principal, permission, region);
    if (denied) throw ApiError.fromRejection(denied);
  }

  private async household(householdId: string): Promise<HouseholdState> {
    const { state } = await loadState(this.store, householdDecider, householdStreamId(householdId));
    if (!state.exists) throw ApiError.notFound({ id: 'Rumah tangga', en: 'Household' });
    return state;
  }

  private async erased(householdId: string): Promise<boolean> {
    const keys = await this.keys.keysFor([householdStreamId(householdId)], false);
    return keys.get(householdStreamId(householdId)) === 'destroyed';
  }

  /** The household's stream, the case that established it, and every case about it but objections. */
  private async subjectStreams(householdId: string, household: HouseholdState): Promise<string[]> {
    const linked: Array<{ stream_id: string }> = await this.dataSource.query(
      'select stream_id from audit_links where household_id = $1 and stream_version is null',
      [householdId],
    );
    const streams = new Set([householdStreamId(householdId)]);
    if (household.established) streams.add(`registration-${household.established.registrationCaseId}`);
    for (const { stream_id } of linked) {
      if (SUBJECT_CATEGORIES.some((c) => stream_id.startsWith(`${c}-`))) streams.add(stream_id);
    }
    return [...streams];
  }

  /**
   * Documents the subject's streams refer to and no other stream does: a village deliberation's
   * minutes may be evidence for many households and must outlive one household's erasure.
   */
  private async documentsOnlyOf(streams: readonly string[]): Promise<string[]> {
    const found = new Set<string>();
    // With the EventStoreDB adapter the log is not in PostgreSQL, so sharing cannot be checked:
    // only the documents attached to the subject's own cases (its KTP, KK, photos) are erased.
    const shareable = !this.logInPostgres;
    for (const stream of streams) for (const e of await this.store.readStream(stream)) collectDocuments(e, found, shareable);
    if (!this.logInPostgres) return [...found];
    const own: string[] = [];
    for (const sha256 of found) {
      const [elsewhere] = await this.dataSource.query(
        `select 1 from es_events where stream_id <> all($1) and (data like $2 or metadata like $2) limit 1`,
        [streams, `%${sha256}%`],
      );
      if (!elsewhere) own.push(sha256);
    }
    return own;
  }

  /**
   * Drops the household's members from the Dukcapil extract (the copy this system holds) and
   * releases their NIK claims, so the people could register again and no NIK stays behind.
   */
  private async forgetIdentifiers(
    householdId: string,
    household: HouseholdState,
    niks: string[],
    actor: Principal,
  ): Promise<void> {
    const kk = household.established?.kkNumber;
    await this.dataSource.query('delete from dukcapil_residents where nik = any($1) or kk_number = $2', [niks, kk ?? '']);
    const caseId = household.established?.registrationCaseId;
    const known = await this.claims.readAll(niks);
    const metadata = commandMetadata({ actor });
    const releases = [...known.values()]
      .filter((c) => c.holder === householdId || c.holder === caseId)
      .map((c) => ({
        streamId: c.streamId,
        expectedVersion: c.version,
        events: [{ type: 'NikReleased', data: { holder: c.holder! }, metadata }],
      }));
    if (releases.length) await this.store.appendMany(releases);
  }
}

function personalTerms(household: HouseholdState): string[] {
  const e = household.established;
  return [...household.members.flatMap((m) => [m.nik, m.fullName]), ...(e ? [e.kkNumber, e.address] : [])].filter(
    (t): t is string => typeof t === 'string' && t.length > 2 && t !== ERASED,
  );
}

/** Document hashes in an event's data, and in its metadata's evidence unless `dataOnly`. */
function collectDocuments(event: RecordedEvent, into: Set<string>, dataOnly = false): void {
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === 'sha256' && typeof v === 'string' && /^[0-9a-f]{64}$/.test(v)) into.add(v);
        else visit(v);
      }
    }
  };
  visit(event.data);
  if (!dataOnly) visit(event.metadata);
}
