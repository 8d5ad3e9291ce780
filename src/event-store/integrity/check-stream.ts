import { GENESIS_HASH, linkHash, StoredLink } from '../hash-chain';
import { IntegrityProblem, StreamSeal, TamperKind } from '../port';
import { macMatches } from './keys';

export interface VerifiableLink extends StoredLink {
  readonly mac?: string | null;
}

export interface StreamVerdict {
  readonly problems: IntegrityProblem[];
  readonly unkeyed: number;
}

/** Enough to name an attack; a stream with hundreds of broken links lists the first ones. */
const MAX_PER_KIND = 5;

/**
 * Checks one stream's stored links (in version order) against its chain, its MACs (when the key
 * is given) and its signed checkpoint (when one sealed it), and names what was done to it.
 * Pure: the adapters read the links, the checkpoint file gives the seal.
 */
export function checkStream(links: readonly VerifiableLink[], macKey?: Buffer, seal?: StreamSeal): StreamVerdict {
  const problems: IntegrityProblem[] = [];
  const add = (kind: TamperKind, streamVersion: number | undefined, detail: string): void => {
    if (problems.filter((p) => p.kind === kind).length < MAX_PER_KIND) problems.push({ kind, streamVersion, detail });
  };
  const unlinked = checkChain(links, add);
  if (seal) checkSeal(links, seal, unlinked.size ? Math.min(...unlinked) : undefined, add);
  return { problems, unkeyed: checkMacs(links, macKey, seal, unlinked, add) };
}

type Add = (kind: TamperKind, version: number | undefined, detail: string) => void;

/** Version gaps and links that do not match their content; returns the versions of the latter. */
function checkChain(links: readonly VerifiableLink[], add: Add): Set<number> {
  const unlinked = new Set<number>();
  let previous = { hash: GENESIS_HASH, version: 0 };
  let firstBreak: number | undefined;
  let breaks = 0;
  for (const link of links) {
    if (link.streamVersion !== previous.version + 1) {
      const missing = `${previous.version + 1}${link.streamVersion - 1 > previous.version + 1 ? `-${link.streamVersion - 1}` : ''}`;
      add('deleted', previous.version + 1, `version ${missing} missing`);
    }
    if (linkHash(previous.hash, link) !== link.hash) {
      unlinked.add(link.streamVersion);
      firstBreak ??= link.streamVersion;
      breaks++;
    }
    previous = { hash: link.hash, version: link.streamVersion };
  }
  if (firstBreak !== undefined) {
    add('chain-broken', firstBreak, `content does not match its hash from version ${firstBreak} (${breaks} links)`);
  }
  return unlinked;
}

/** Compares the stored stream with what the checkpoint sealed. */
function checkSeal(links: readonly VerifiableLink[], seal: StreamSeal, firstChainBreak: number | undefined, add: Add): void {
  const at = `checkpoint #${seal.seq}`;
  if (!links.length) return add('deleted-tail', 1, `stream sealed up to version ${seal.version} by ${at} is gone`);
  const byId = new Map(links.map((l) => [l.eventId, l]));
  const byVersion = new Map(links.map((l) => [l.streamVersion, l]));
  const last = links.at(-1)?.streamVersion ?? 0;
  const sealed = [...seal.ids.entries()].sort((a, b) => a[0] - b[0]);
  const present = sealed.filter(([, id]) => byId.has(id));
  const highestPresent = present.at(-1)?.[0] ?? 0;
  for (const [version, id] of sealed) {
    if (byId.has(id)) continue;
    if (version < highestPresent) add('deleted', version, `event sealed at version ${version} by ${at} is gone`);
    else add('deleted-tail', version, `event sealed at version ${version} by ${at} is gone (stream ends at ${last})`);
  }
  let previousStored = 0;
  for (const [version, id] of present) {
    const stored = byId.get(id)!.streamVersion;
    if (stored < previousStored) add('reordered', version, `event sealed at version ${version} by ${at} now at ${stored}`);
    previousStored = stored;
  }
  if (seal.complete) {
    const sealedIds = new Set(seal.ids.values());
    for (const l of links) {
      if (l.streamVersion <= seal.version && !sealedIds.has(l.eventId)) {
        add('forged', l.streamVersion, `event at version ${l.streamVersion} was not among those sealed by ${at}`);
      }
    }
  } else {
    const head = byId.get(seal.ids.get(seal.version) ?? '');
    if (head && head.streamVersion < seal.version) {
      add('deleted', head.streamVersion, `head sealed at version ${seal.version} by ${at} is now at ${head.streamVersion}`);
    }
    if (head && head.streamVersion > seal.version) {
      add('forged', seal.version, `${head.streamVersion - seal.version} event(s) inserted before the head sealed by ${at}`);
    }
  }
  for (const version of seal.forged) {
    add('forged', version, `version ${version} failed its MAC when ${at} sealed it: not written by the app`);
  }
  // A chain that links up but ends elsewhere than sealed was recomputed (es_link_hash is public).
  for (const [version, hash] of seal.hashes) {
    const stored = byVersion.get(version);
    const chainHolds = firstChainBreak === undefined || firstChainBreak > version;
    if (stored && chainHolds && stored.hash !== hash) {
      add('rechained', version, `link hash at version ${version} differs from ${at}: the chain was recomputed`);
    }
  }
}

/** Each event's MAC; unkeyed events before the stream's first keyed one are counted, not failed. */
function checkMacs(
  links: readonly VerifiableLink[],
  macKey: Buffer | undefined,
  seal: StreamSeal | undefined,
  unlinked: ReadonlySet<number>,
  add: Add,
): number {
  let unkeyed = 0;
  let keyedSeen = false;
  for (const l of links) {
    if (!l.mac) {
      if (keyedSeen) add('mac-removed', l.streamVersion, `version ${l.streamVersion} has no MAC after keyed events`);
      else unkeyed++;
      continue;
    }
    keyedSeen = true;
    if (!macKey || macMatches(macKey, { ...l }, l.mac)) continue;
    const wasSealed =
      seal && (seal.ids.get(l.streamVersion) === l.eventId || (!seal.complete && l.streamVersion <= seal.version));
    if (seal?.forged.has(l.streamVersion)) continue; // named already by the checkpoint
    if (wasSealed) {
      add('edited', l.streamVersion, `version ${l.streamVersion} changed after it was sealed: its MAC does not match`);
    } else if (unlinked.has(l.streamVersion)) {
      // Not sealed yet, and its content no longer matches the link the database computed at
      // append: edited. A row that links up was inserted (or edited and re-chained) without the key.
      add('edited', l.streamVersion, `version ${l.streamVersion} changed after it was appended: its MAC does not match`);
    } else {
      add('forged', l.streamVersion, `version ${l.streamVersion} was not written by the app: its MAC does not match`);
    }
  }
  return unkeyed;
}
