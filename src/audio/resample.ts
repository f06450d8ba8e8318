/**
 * Streaming band-limited resampler (polyphase windowed sinc), chunk-invariant.
 *
 * For a rational ratio L/M = outRate/inRate (reduced), output sample n sits at input time
 *   t_n = n·M/L,  y[n] = Σ_k x[k] · h(t_n − k),
 *   h(x) = (2·fc/inRate) · sinc(2·fc·x/inRate) · kaiser(x / halfWidthIn, β),
 * with the cut-off fc and transition band set relative to the lower of the two rates:
 * pass band up to 0.49375·low (7.9 kHz at 16 kHz), stop band from 0.5625·low (9 kHz), β = 6.2
 * (≈ 65 dB). Aliases can only land in the top 1 kHz of the output band; everything that would
 * alias below 0.4375·low (7 kHz) is attenuated by the full stop-band depth.
 * Each output uses the same taps in the same order whatever the chunking, so results are
 * bit-identical for any split of the input. Each phase's taps are normalised to sum to 1
 * (exact unity gain at DC).
 */
import { concatFloat32 } from '../arrays';

const PASS_EDGE = 0.49375;
const STOP_EDGE = 0.5625;
const KAISER_BETA = 6.2;
/** Half the filter length in samples of the lower rate (≈ 65 dB with the band above). */
const HALF_WIDTH_LOW = 28;
/** Above this many table entries (32 MB), taps are computed per output instead of stored:
 * only odd rates with no small ratio to 16 kHz above ~96 kHz get there (slow but correct). */
const MAX_TABLE_ENTRIES = 1 << 23;
/**
 * Tables of at most this many entries (256 KB) are kept per ratio, at most MAX_CACHED_TABLES of
 * them: training's speed perturbation (src/data/augment.ts changeSpeed) makes a resampler per clip
 * at one of ~40 ratios, and building the table (a Bessel series per tap) took as long as the
 * filtering itself. The table is a function of the ratio alone, so a cached one is the very same.
 */
const MAX_CACHED_ENTRIES = 1 << 16;
const MAX_CACHED_TABLES = 128;
const cachedTables = new Map<string, Float32Array>();

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Zeroth-order modified Bessel function I0 (power series). */
export function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 50; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

export class Resampler {
  readonly inRate: number;
  readonly outRate: number;
  private readonly up: number; // L
  private readonly down: number; // M
  private readonly taps: number; // K, even
  private readonly cutoff: number; // fc / inRate
  private readonly halfWidthIn: number;
  private readonly table: Float32Array | null;
  private readonly scratch: Float64Array;
  /** Input history; buf[0] holds absolute input index bufStart. */
  private buf: Float32Array;
  private bufLen = 0;
  private bufStart: number;
  private nextOut = 0; // index n of the next output sample
  private inputCount = 0;

  constructor(inRate: number, outRate: number) {
    this.inRate = inRate;
    this.outRate = outRate;
    const g = gcd(inRate, outRate);
    this.up = outRate / g;
    this.down = inRate / g;
    const low = Math.min(inRate, outRate);
    this.cutoff = (((PASS_EDGE + STOP_EDGE) / 2) * low) / inRate;
    this.halfWidthIn = (HALF_WIDTH_LOW * inRate) / low;
    this.taps = 2 * Math.ceil(this.halfWidthIn);
    this.scratch = new Float64Array(this.taps);
    this.table = this.up * this.taps <= MAX_TABLE_ENTRIES ? this.cachedTable() : null;
    // Samples before the first input are zeros: prefill so output 0 is centred on input 0.
    this.buf = new Float32Array(4096 + this.taps);
    this.bufLen = this.taps / 2 - 1;
    this.bufStart = -(this.taps / 2 - 1);
  }

  get isPassThrough(): boolean {
    return this.up === 1 && this.down === 1;
  }

  /** h(x) for x in input samples. */
  private kernel(x: number): number {
    const r = x / this.halfWidthIn;
    if (Math.abs(r) >= 1) return 0;
    const a = 2 * this.cutoff * x;
    const sinc = a === 0 ? 1 : Math.sin(Math.PI * a) / (Math.PI * a);
    return 2 * this.cutoff * sinc * (besselI0(KAISER_BETA * Math.sqrt(1 - r * r)) / besselI0(KAISER_BETA));
  }

  /** Taps for phase p (output at base + p/L), normalised to unit sum, into out[0..K). */
  private phaseTaps(p: number, out: Float32Array | Float64Array, offset: number): void {
    const K = this.taps;
    const frac = p / this.up;
    let sum = 0;
    for (let j = 0; j < K; j++) {
      const v = this.kernel(frac + K / 2 - 1 - j);
      out[offset + j] = v;
      sum += v;
    }
    for (let j = 0; j < K; j++) out[offset + j] /= sum;
  }

  /** buildTable's table for this ratio, from the cache when it is small enough to be there. */
  private cachedTable(): Float32Array {
    if (this.up * this.taps > MAX_CACHED_ENTRIES) return this.buildTable();
    const key = `${this.up}/${this.down}`;
    let table = cachedTables.get(key);
    if (!table) {
      table = this.buildTable();
      if (cachedTables.size < MAX_CACHED_TABLES) cachedTables.set(key, table);
    }
    return table;
  }

  private buildTable(): Float32Array {
    const t = new Float32Array(this.up * this.taps);
    for (let p = 0; p < this.up; p++) this.phaseTaps(p, t, p * this.taps);
    return t;
  }

  private append(input: Float32Array): void {
    if (this.bufLen + input.length > this.buf.length) {
      const grown = new Float32Array(Math.max(this.buf.length * 2, this.bufLen + input.length));
      grown.set(this.buf.subarray(0, this.bufLen));
      this.buf = grown;
    }
    this.buf.set(input, this.bufLen);
    this.bufLen += input.length;
  }

  /** Computes every output whose taps are all inside the buffer, up to `limit` outputs. */
  private drain(limit: number): Float32Array {
    const K = this.taps;
    const L = this.up;
    const M = this.down;
    const bufEnd = this.bufStart + this.bufLen;
    // Output n needs inputs base-K/2+1 … base+K/2 where base = floor(n·M/L).
    let count = 0;
    {
      const lastBase = bufEnd - 1 - K / 2; // largest usable base
      if (lastBase >= 0) count = Math.max(0, Math.floor((lastBase * L + L - 1) / M) + 1 - this.nextOut);
      count = Math.min(count, limit);
    }
    const out = new Float32Array(count);
    const buf = this.buf;
    for (let i = 0; i < count; i++) {
      const n = this.nextOut + i;
      const pos = n * M;
      const base = Math.floor(pos / L);
      const phase = pos - base * L;
      const first = base - K / 2 + 1 - this.bufStart;
      let acc = 0;
      if (this.table) {
        const t = this.table;
        const off = phase * K;
        for (let j = 0; j < K; j++) acc += buf[first + j] * t[off + j];
      } else {
        const s = this.scratch;
        this.phaseTaps(phase, s, 0);
        for (let j = 0; j < K; j++) acc += buf[first + j] * s[j];
      }
      out[i] = acc;
    }
    this.nextOut += count;
    // Drop input no future output needs.
    const nextBase = Math.floor((this.nextOut * M) / L);
    const keepFrom = nextBase - K / 2 + 1 - this.bufStart;
    if (keepFrom > 0) {
      this.buf.copyWithin(0, keepFrom, this.bufLen);
      this.bufLen -= keepFrom;
      this.bufStart += keepFrom;
    }
    return out;
  }

  /** Feeds input samples; returns the output samples now complete. */
  push(input: Float32Array): Float32Array {
    this.inputCount += input.length;
    if (this.isPassThrough) return input;
    this.append(input);
    return this.drain(Number.MAX_SAFE_INTEGER);
  }

  /** Ends the stream: returns the remaining outputs, ceil(N·L/M) in total. */
  flush(): Float32Array {
    if (this.isPassThrough) return new Float32Array(0);
    this.append(new Float32Array(this.taps));
    const total = Math.ceil((this.inputCount * this.up) / this.down);
    return this.drain(Math.max(0, total - this.nextOut));
  }
}

/** Resamples a whole signal in one go (tests, tools). */
export function resampleAll(input: Float32Array, inRate: number, outRate: number): Float32Array {
  const r = new Resampler(inRate, outRate);
  return concatFloat32([r.push(input), r.flush()]);
}
