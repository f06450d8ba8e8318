/**
 * The training batches of a whole run, in order, each requested `depth` − 1 batches before it is
 * taken — across epoch boundaries too. With a batch worker, that keeps the worker busy while the
 * main thread does something other than training steps: the per-epoch measurement (seconds of
 * predictBatch, during which a queue of one batch left the worker idle) and, before the first
 * epoch, the measurement features. Without one, depth 2 is what trainer.ts always did: batch
 * s + 1 made right after batch s is taken. A batch is a function of its position alone (clips,
 * seed, salt), so how far ahead it is requested changes nothing in it.
 */
import { Batch } from '../data/clips';

export class BatchQueue {
  private readonly pending = new Map<number, Promise<Batch>>();
  private requested = 0;

  /** `make(position)` requests batch `position` (0-based over the run) of `total`. */
  constructor(
    private readonly make: (position: number) => Promise<Batch>,
    private readonly total: number,
    private readonly depth: number,
  ) {}

  /** Requests every batch before `position` + depth that is not requested yet. */
  fill(position: number): void {
    while (this.requested < Math.min(this.total, position + this.depth)) {
      const batch = this.make(this.requested);
      batch.catch(() => undefined); // one never taken (early stopping) must not be an unhandled rejection
      this.pending.set(this.requested++, batch);
    }
  }

  /** Batch `position`, with the ones after it requested up to the depth. */
  take(position: number): Promise<Batch> {
    this.fill(position);
    const batch = this.pending.get(position);
    if (!batch) throw new RangeError(`batch ${position} was taken already or is past the run's ${this.total}`);
    this.pending.delete(position);
    return batch;
  }
}
