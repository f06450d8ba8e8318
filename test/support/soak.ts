/**
 * The soak run behind `npm run soak` (scripts/soak.ts) and test/hostileSoak.test.ts: hours of
 * synthesized background audio through the whole pipeline (KeywordSpotter.detect on a generated
 * AudioSource), as fast as it goes, reporting heap and RSS every simulated hour; then a known
 * trigger at the very end must give an event at exactly the frame a short reference run predicts.
 *
 * Model: the hand-made energy detector of test/support/models.ts ('yes' fires on ~0.3 s of loud
 * audio), whose response depends only on the last second or so of audio — so the trigger's event
 * frame is predictable: a reference run puts the same trigger after the same background (the
 * background is a 60 s loop and the trigger sits at the same loop phase) and the event must come
 * exactly (T_soak − T_ref)/hop frames later. Any drift in sample or frame counters shows up as an
 * error. The quiet background must give no event at all in between.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { energyDetectorWeights, wavNormalization, writeModelDir } from './models';
import { collectGarbage } from './gc';
import { AudioSource } from '../../src/audio/source';
import { DEFAULT_FEATURE_CONFIG } from '../../src/features/config';
import { KeywordEvent } from '../../src/pipeline/events';
import { KeywordSpotter } from '../../src/pipeline/spotter';
import { Rng } from '../../src/data/random';

const RATE = 16000;
const HOP = DEFAULT_FEATURE_CONFIG.hop;
const LOOP_SEC = 60;
/** The reference run puts the trigger here (a whole number of loops in). */
const REF_TRIGGER_SEC = 2 * LOOP_SEC;
/** Audio after the trigger, so its event can fire. */
const TAIL_SEC = 4;

/**
 * One loop of background: brown-ish noise around −45 dBFS, a faint 50 Hz hum, and a slow swell
 * (a room with a fan and distant traffic). Seeded, so every run streams the same audio.
 */
export function backgroundLoop(seconds = LOOP_SEC, seed = 7): Float32Array {
  const rng = new Rng(seed);
  const x = new Float32Array(seconds * RATE);
  let brown = 0;
  for (let i = 0; i < x.length; i++) {
    brown = 0.995 * brown + 0.05 * rng.normal();
    const swell = 1 + 0.5 * Math.sin((2 * Math.PI * i) / (17 * RATE));
    x[i] = 0.004 * brown * swell + 0.002 * Math.sin((2 * Math.PI * 50 * i) / RATE) + 0.001 * rng.normal();
  }
  return x;
}

/** The background second at `phaseSec` with a loud 0.6 s noise burst (a "word") mixed in from 0.2 s. */
function triggerSecond(loop: Float32Array, phaseSec: number): Float32Array {
  const rng = new Rng(99);
  const out = loop.slice(phaseSec * RATE, (phaseSec + 1) * RATE);
  for (let i = Math.round(0.2 * RATE); i < Math.round(0.8 * RATE); i++)
    out[i] += 0.3 * rng.normal() * Math.sin((Math.PI * (i - 0.2 * RATE)) / (0.6 * RATE));
  for (let i = 0; i < out.length; i++) out[i] = Math.max(-1, Math.min(1, out[i]));
  return out;
}

/**
 * A live-like source of `totalSec` seconds in 1 s chunks: the background loop over and over,
 * with the trigger second at `triggerSec`. Chunks are views of the loop (no allocation).
 * `onSecond(s)` runs before second s is yielded (memory reports).
 */
function soakSource(loop: Float32Array, totalSec: number, triggerSec: number, onSecond?: (s: number) => void): AudioSource {
  const trigger = triggerSecond(loop, triggerSec % LOOP_SEC);
  return {
    sampleRate: RATE,
    name: 'soak',
    async close() {},
    async *[Symbol.asyncIterator]() {
      for (let s = 0; s < totalSec; s++) {
        onSecond?.(s);
        const phase = s % LOOP_SEC;
        yield s === triggerSec ? trigger : loop.subarray(phase * RATE, (phase + 1) * RATE);
      }
    },
  };
}

export interface MemoryReport {
  simulatedSec: number;
  heapMB: number;
  rssMB: number;
}

export interface SoakResult {
  simulatedSec: number;
  wallSec: number;
  reports: MemoryReport[];
  /** Events before the trigger (must be none). */
  spurious: KeywordEvent[];
  triggerEvent: KeywordEvent | null;
  expectedStart: number;
  expectedEnd: number;
  heapGrowthMB: number;
  rssGrowthMB: number;
}

/** The energy model in a temp folder, normalised on fixtures/demo.wav (as the pipeline tests do). */
export async function soakSpotter(): Promise<KeywordSpotter> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kws-soak-'));
  try {
    const normalization = await wavNormalization(DEFAULT_FEATURE_CONFIG.coefficients);
    writeModelDir(dir, energyDetectorWeights('yes'), { normalization, keywords: ['yes'], name: 'soak-energy' });
    return await KeywordSpotter.load(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function eventsOf(spotter: KeywordSpotter, source: AudioSource): Promise<KeywordEvent[]> {
  const out: KeywordEvent[] = [];
  for await (const e of spotter.detect(source)) out.push(e);
  return out;
}

/**
 * Streams `durationSec` of background (a whole number of loops), then the trigger second and a
 * short tail; reports memory every `reportEverySec` simulated seconds.
 */
export async function runSoak(durationSec: number, reportEverySec: number, onReport?: (r: MemoryReport) => void): Promise<SoakResult> {
  if (durationSec % LOOP_SEC !== 0 || durationSec < REF_TRIGGER_SEC)
    throw new Error(`soak length must be a multiple of ${LOOP_SEC} s, ≥ ${REF_TRIGGER_SEC} s`);
  const gc = collectGarbage();
  const spotter = await soakSpotter();
  const loop = backgroundLoop();

  const reference = await eventsOf(spotter, soakSource(loop, REF_TRIGGER_SEC + TAIL_SEC, REF_TRIGGER_SEC));
  const refEvent = reference.find((e) => e.start >= REF_TRIGGER_SEC);
  if (!refEvent || reference.length !== 1)
    throw new Error(`reference run: expected one event after ${REF_TRIGGER_SEC} s, got ${JSON.stringify(reference)}`);
  const shiftFrames = ((durationSec - REF_TRIGGER_SEC) * RATE) / HOP;
  const frameOf = (sec: number) => Math.round((sec * RATE) / HOP);
  const expectedStart = ((frameOf(refEvent.start) + shiftFrames) * HOP) / RATE;
  const expectedEnd =
    ((frameOf(refEvent.end - DEFAULT_FEATURE_CONFIG.windowSize / RATE) + shiftFrames) * HOP + DEFAULT_FEATURE_CONFIG.windowSize) / RATE;

  const reports: MemoryReport[] = [];
  const report = (s: number) => {
    if (s % reportEverySec !== 0 && s !== durationSec) return;
    gc();
    const m = process.memoryUsage();
    const r = { simulatedSec: s, heapMB: m.heapUsed / 2 ** 20, rssMB: m.rss / 2 ** 20 };
    reports.push(r);
    onReport?.(r);
  };
  const started = process.hrtime.bigint();
  const events = await eventsOf(spotter, soakSource(loop, durationSec + TAIL_SEC, durationSec, report));
  const wallSec = Number(process.hrtime.bigint() - started) / 1e9;
  // Growth from the first report after warm-up (the first report period) to the last.
  const base = reports.find((r) => r.simulatedSec >= reportEverySec) ?? reports[0];
  const last = reports[reports.length - 1];
  return {
    simulatedSec: durationSec + TAIL_SEC,
    wallSec,
    reports,
    spurious: events.filter((e) => e.start < durationSec),
    triggerEvent: events.find((e) => e.start >= durationSec) ?? null,
    expectedStart,
    expectedEnd,
    heapGrowthMB: last.heapMB - base.heapMB,
    rssGrowthMB: last.rssMB - base.rssMB,
  };
}
