import { BrokenStream, IntegrityReport, VerifyOptions } from '../port';
import { checkStream, VerifiableLink } from './check-stream';

/**
 * Collects the verdicts of a verification pass, stream by stream, for either adapter; at the end
 * adds the sealed streams the store no longer has at all (deleted as a whole).
 */
export class IntegrityTally {
  streamsChecked = 0;
  eventsChecked = 0;
  private unkeyed = 0;
  private readonly seen = new Set<string>();
  private readonly broken: BrokenStream[] = [];

  private readonly macKey: Buffer | undefined;

  constructor(
    macKey: Buffer | undefined,
    private readonly options: VerifyOptions,
  ) {
    this.macKey = options.skipMacs ? undefined : macKey;
  }

  stream(streamId: string, links: readonly VerifiableLink[]): void {
    this.seen.add(streamId);
    this.streamsChecked++;
    this.eventsChecked += links.length;
    const verdict = checkStream(links, this.macKey, this.options.seals?.get(streamId));
    this.unkeyed += verdict.unkeyed;
    if (verdict.problems.length) this.broken.push({ streamId, problems: verdict.problems });
  }

  report(): IntegrityReport {
    const seals = this.options.seals;
    if (seals) {
      const wanted = this.options.streamIds ? new Set(this.options.streamIds) : undefined;
      const sealed = wanted ? [...wanted].filter((id) => seals.get(id)) : [...seals.streamIds()];
      for (const streamId of sealed.sort()) if (!this.seen.has(streamId)) this.stream(streamId, []);
    }
    return {
      streamsChecked: this.streamsChecked,
      eventsChecked: this.eventsChecked,
      unkeyedEvents: this.unkeyed,
      macsChecked: this.macKey !== undefined,
      broken: [...this.broken].sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0)),
    };
  }
}
