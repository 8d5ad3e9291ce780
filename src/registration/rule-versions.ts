import { RegistrationEvent } from './events';
import { VERVAL_MACHINE_VERSION } from './verval-state-machine';

/** The rule versions an event was decided under: the state machine's, and the PMT model's where it decided. */
export function ruleVersionsOf(event?: RegistrationEvent): Record<string, string> {
  const pmt =
    event?.type === 'EligibilityAssessed'
      ? event.data.result.modelVersion
      : event?.type === 'RegistrationEstablished'
        ? event.data.pmtVersion
        : undefined;
  return { verval: VERVAL_MACHINE_VERSION, ...(pmt ? { pmt } : {}) };
}
