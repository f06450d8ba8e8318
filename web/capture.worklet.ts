/**
 * The capture worklet: runs on the audio rendering thread, so it only copies. Each render quantum
 * (128 frames at the device's rate) is mixed to mono and collected; every `CHUNK` samples the
 * chunk is sent, straight to the spotter's worker, on the MessagePort the page hands over first.
 */
declare function registerProcessor(name: string, processor: unknown): void;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}

/** About 20 ms at 48 kHz: small enough for events to appear at once, large enough to be cheap. */
const CHUNK = 1024;

class CaptureProcessor extends AudioWorkletProcessor {
  private out: MessagePort | null = null;
  private chunk = new Float32Array(CHUNK);
  private filled = 0;

  constructor() {
    super();
    this.port.onmessage = (e: MessageEvent) => (this.out = e.data as MessagePort);
  }

  process(inputs: Float32Array[][]): boolean {
    const channels = inputs[0];
    if (!this.out || !channels || channels.length === 0) return true;
    const n = channels[0].length;
    for (let t = 0; t < n; t++) {
      let sum = 0;
      for (let c = 0; c < channels.length; c++) sum += channels[c][t];
      this.chunk[this.filled++] = sum / channels.length;
      if (this.filled === CHUNK) {
        this.out.postMessage(this.chunk, [this.chunk.buffer]);
        this.chunk = new Float32Array(CHUNK);
        this.filled = 0;
      }
    }
    return true;
  }
}

registerProcessor('kws-capture', CaptureProcessor);
export {};
