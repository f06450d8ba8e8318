/**
 * Recorder output waiting for a consumer, bounded: a live spotter wants the newest audio, so
 * beyond `maxBytes` the oldest is dropped, and `onOverflow` is called once per burst. A burst
 * ends when the consumer catches up, i.e. asks for audio and finds none waiting.
 */
export class Backlog {
  private readonly chunks: Buffer[] = [];
  private bytes = 0;
  private overflowing = false;

  /** `maxBytes` is kept even, so dropping never splits an s16 sample. */
  constructor(
    private readonly maxBytes: number,
    private readonly onOverflow: () => void,
  ) {
    if (!(maxBytes >= 2) || maxBytes % 2 !== 0) throw new RangeError(`Backlog: maxBytes must be even and ≥ 2, got ${maxBytes}`);
  }

  /** Bytes waiting now. */
  get size(): number {
    return this.bytes;
  }

  push(data: Buffer): void {
    this.chunks.push(data);
    this.bytes += data.length;
    if (this.bytes <= this.maxBytes) return;
    const excess = this.bytes - this.maxBytes;
    this.dropOldest(excess + (excess & 1));
    if (this.overflowing) return;
    this.overflowing = true;
    this.onOverflow();
  }

  /** Everything waiting, oldest first; null when nothing is, which ends the current burst. */
  take(): Buffer | null {
    if (this.bytes === 0) {
      this.overflowing = false;
      return null;
    }
    const all = Buffer.concat(this.chunks.splice(0));
    this.bytes = 0;
    return all;
  }

  private dropOldest(bytes: number): void {
    let removed = 0;
    while (removed < bytes && this.chunks.length) {
      const head = this.chunks[0];
      const cut = Math.min(head.length, bytes - removed);
      if (cut === head.length) this.chunks.shift();
      else this.chunks[0] = head.subarray(cut);
      removed += cut;
    }
    this.bytes -= removed;
  }
}
