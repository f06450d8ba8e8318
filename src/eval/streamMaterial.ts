/**
 * What a benchmark stream rests on. A long detection stream cycles through its material (the same
 * clips again and again, random cuts of the same recordings), so "10 h of stream" may rest on a few
 * minutes of distinct speech, and a false-alarm rate on it says less than its hours suggest. The
 * ledger follows the stream (detectionStream's onItem) and counts, per kind of material, the
 * seconds it fills in the stream (repeats counted) and the distinct seconds of it (each sample once).
 */
import { TARGET_SAMPLE_RATE } from '../audio/source';
import type { OnItem } from './detectionStream';

export type MaterialKind = 'realSpeech' | 'negatives' | 'otherClips' | 'realNoise' | 'corpusNoise' | 'wakeWords';

/** One kind of material the stream may draw on (all of it held out from training, except noise, which is not split). */
export interface MaterialPool {
  kind: MaterialKind;
  /** What it is, in words, e.g. "real speech of 12 held-out speakers (--speech, test split)". */
  what: string;
  /** Negative speech (what false alarms are counted on), the noise bed, or the wake-word test clips. */
  role: 'speech' | 'noise' | 'wakeWords';
  folders: string[];
  /** Recordings or clips. */
  items: number;
  /** Seconds of it, each sample once. */
  sec: number;
}

/** How much of a pool one stream used. */
export interface MaterialUse {
  kind: MaterialKind;
  /** Seconds of the stream it filled, repeats counted. */
  streamSec: number;
  /** Seconds of distinct audio of it in the stream (≤ the pool's sec). */
  distinctSec: number;
}

export interface PoolAudio {
  kind: MaterialKind;
  audio: readonly Float32Array[];
}

/** Seconds of audio in the arrays. */
export function secondsOf(audio: readonly Float32Array[]): number {
  return audio.reduce((s, x) => s + x.length, 0) / TARGET_SAMPLE_RATE;
}

/** Counts what a stream took from the pools; pass `onItem` to detectionStream, read `uses()` after. */
export class MaterialLedger {
  private readonly taken = new Map<Float32Array, { kind: MaterialKind; spans: [number, number][] }>();
  private readonly samples = new Map<MaterialKind, number>();
  /** Samples the stream took from material no pool holds: anything but 0 means the pools do not say what the stream is. */
  straySamples = 0;

  constructor(private readonly pools: readonly PoolAudio[]) {
    for (const p of pools) for (const x of p.audio) this.taken.set(x, { kind: p.kind, spans: [] });
  }

  readonly onItem: OnItem = (from, start, length) => {
    if (from.length === 0) return; // digital silence, made by the stream
    const t = this.taken.get(from);
    if (!t) {
      this.straySamples += length;
      return;
    }
    this.samples.set(t.kind, (this.samples.get(t.kind) ?? 0) + length);
    const n = from.length;
    if (length >= n) t.spans.push([0, n]);
    else if (start + length <= n) t.spans.push([start, start + length]);
    else t.spans.push([start, n], [0, start + length - n]); // the cut wrapped around the recording's end
  };

  uses(): MaterialUse[] {
    const distinct = new Map<MaterialKind, number>();
    for (const { kind, spans } of this.taken.values()) distinct.set(kind, (distinct.get(kind) ?? 0) + covered(spans));
    return this.pools.map((p) => ({
      kind: p.kind,
      streamSec: (this.samples.get(p.kind) ?? 0) / TARGET_SAMPLE_RATE,
      distinctSec: (distinct.get(p.kind) ?? 0) / TARGET_SAMPLE_RATE,
    }));
  }
}

/** Samples covered by the union of [start, end) spans. */
function covered(spans: [number, number][]): number {
  let total = 0;
  let end = -1;
  for (const [a, b] of [...spans].sort((x, y) => x[0] - y[0])) {
    if (b <= end) continue;
    total += b - Math.max(a, end);
    end = b;
  }
  return total;
}

/** 42 → "42 s", 250 → "4.2 min", 4500 → "1.25 h". */
export function duration(sec: number): string {
  if (sec < 60) return `${Math.round(sec)} s`;
  if (sec < 3600) return `${(sec / 60).toFixed(1)} min`;
  return `${(sec / 3600).toFixed(2)} h`;
}

/** Distinct seconds of speech a stream rests on (the noise bed not counted). */
export function distinctSpeechSec(pools: readonly MaterialPool[], uses: readonly MaterialUse[]): number {
  return uses.filter((u) => pools.find((p) => p.kind === u.kind)?.role === 'speech').reduce((s, u) => s + u.distinctSec, 0);
}

/** One line per pool: what it is, how much of the stream it filled and on how much distinct audio. */
export function describeUses(pools: readonly MaterialPool[], uses: readonly MaterialUse[]): string[] {
  return pools.map((p) => {
    const u = uses.find((x) => x.kind === p.kind);
    const used = u ? `${duration(u.streamSec)} of the stream from ${duration(u.distinctSec)} distinct` : 'not used';
    const unit = ['negatives', 'otherClips', 'wakeWords'].includes(p.kind) ? 'clip(s)' : 'recording(s)';
    return `${p.role === 'noise' ? 'noise bed: ' : ''}${p.what}: ${used} (of ${duration(p.sec)} in ${p.items} ${unit})`;
  });
}

/**
 * The false alarms of a stream in words. On under an hour of distinct speech a rate would claim
 * more than was measured (the stream repeats the same speech), so it is a count there.
 */
export function falseAlarmsText(falseAlarms: number, streamHours: number, speechSec: number): string {
  const on = `${streamHours.toFixed(2)} h of stream resting on ${duration(speechSec)} of distinct speech`;
  if (speechSec < 3600) return `${falseAlarms} false alarm(s) in ${on}`;
  return `${(falseAlarms / streamHours).toFixed(2)} false alarms per hour (${falseAlarms} in ${on})`;
}
