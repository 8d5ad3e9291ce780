import { parentPort } from 'node:worker_threads';
import { BenchRequest, load } from './http-load';

export interface LoadOrder {
  readonly base: string;
  readonly rate: number;
  readonly seconds: number;
  /** Sent in turn, from the first again when the run needs more. */
  readonly requests: BenchRequest[];
}

// The load client's thread (see LoadClient): runs each order it is sent and answers with its result.
parentPort?.on('message', (order: LoadOrder) => {
  load(order.base, order.rate, order.seconds, (i) => order.requests[i % order.requests.length]).then(
    (result) => parentPort!.postMessage({ result }),
    (err: Error) => parentPort!.postMessage({ error: err.message }),
  );
});
