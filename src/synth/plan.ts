/**
 * The plan of a synthesized corpus, decided up front from the seed alone: which speakers are held
 * out for validation and test, and for every clip its label, text, voice and speaking style.
 * Rendering order never changes the plan, so parallel rendering stays deterministic.
 */
import { ConfigError } from '../errors';
import { labelOf, SILENCE_LABEL, Split, UNKNOWN_LABEL, whichSet } from '../data/dataset';
import { Rng, rngFor } from '../data/random';
import { Prosody } from './render';
import { Engine, Voice } from './voices';

export interface SplitPercents {
  validation: number;
  test: number;
}

/**
 * Held-out speakers per engine: with n ≥ 3 speakers of an engine, max(1, round(n·p/100)) of them
 * (seeded shuffle) go to validation and as many to test; with fewer, all stay in train.
 */
export function splitSpeakers(voices: Voice[], percents: SplitPercents, seed: number): Map<string, Split> {
  const result = new Map<string, Split>();
  const engines = [...new Set(voices.map((v) => v.engine))].sort();
  for (const engine of engines) {
    const speakers = [...new Set(voices.filter((v) => v.engine === engine).map((v) => v.speaker))].sort();
    const shuffled = rngFor(seed, 'speakers', engine).shuffle(speakers);
    const held = (p: number) => (speakers.length >= 3 && p > 0 ? Math.max(1, Math.round((speakers.length * p) / 100)) : 0);
    const nVal = held(percents.validation);
    const nTest = Math.min(held(percents.test), speakers.length - nVal - 1);
    shuffled.forEach((s, i) => result.set(s, i < nVal ? 'validation' : i < nVal + Math.max(0, nTest) ? 'test' : 'train'));
  }
  return result;
}

export interface ClipJob {
  label: string;
  index: number;
  /** Relative path DIR/<label>/<file>. */
  file: string;
  split: Split;
  /** Text to speak; null for `_silence_` clips. */
  text: string | null;
  voice: Voice | null;
  prosody: Prosody | null;
}

/** Rate ranges per engine (espeak-ng sounds natural over a wider range than flite and gnuspeech). */
const RATE_RANGE: Record<Engine, [number, number]> = { 'espeak-ng': [0.8, 1.3], flite: [0.85, 1.2], gnuspeech: [0.85, 1.25] };
/**
 * Relative share of spoken clips per engine, normalized over the engines present: flite and
 * gnuspeech have only a few speakers each, espeak-ng dozens (espeak-ng + flite: 80/20; all three:
 * 67/17/17). The order of PICK_ORDER keeps espeak-ng + flite plans what they were before gnuspeech.
 */
const ENGINE_WEIGHT: Record<Engine, number> = { 'espeak-ng': 0.8, flite: 0.2, gnuspeech: 0.2 };
const PICK_ORDER: Engine[] = ['flite', 'gnuspeech', 'espeak-ng'];

export interface PlanInput {
  keywords: string[];
  perWord: number;
  unknown: { similar: string[]; common: string[] };
  unknownCount: number;
  silenceCount: number;
  voices: Voice[];
  speakerSplit: Map<string, Split>;
  percents: SplitPercents;
  seed: number;
}

/** Voices grouped engine → speaker → voices, for picking a speaker before a voice. */
export function groupVoices(voices: Voice[]): Map<Engine, Map<string, Voice[]>> {
  const byEngine = new Map<Engine, Map<string, Voice[]>>();
  for (const v of voices) {
    const speakers = byEngine.get(v.engine) ?? new Map<string, Voice[]>();
    speakers.set(v.speaker, [...(speakers.get(v.speaker) ?? []), v]);
    byEngine.set(v.engine, speakers);
  }
  return byEngine;
}

/** An engine by ENGINE_WEIGHT, then a speaker, then one of its voices. */
export function pickVoice(groups: Map<Engine, Map<string, Voice[]>>, rng: Rng): Voice {
  const engines = PICK_ORDER.filter((e) => groups.has(e));
  let engine = engines[0];
  if (engines.length > 1) {
    const total = engines.reduce((t, e) => t + ENGINE_WEIGHT[e], 0);
    let u = rng.next() * total;
    engine = engines.find((e) => (u -= ENGINE_WEIGHT[e]) < 0) ?? engines[engines.length - 1];
  }
  const speakers = groups.get(engine)!;
  const speaker = rng.pick([...speakers.keys()].sort());
  return rng.pick(speakers.get(speaker)!);
}

export function pickProsody(voice: Voice, rng: Rng): Prosody {
  const [lo, hi] = RATE_RANGE[voice.engine];
  const prosody: Prosody = { rate: rng.uniform(lo, hi), pitch: rng.uniform(-1, 1) };
  if (voice.engine === 'gnuspeech') prosody.tract = rng.uniform(-1, 1);
  return prosody;
}

/** File-name part for a speaker: Speech Commands style `<speaker>_nohash_<n>.wav`. */
function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export function planClips(input: PlanInput): ClipJob[] {
  const groups = groupVoices(input.voices);
  const jobs: ClipJob[] = [];
  const spoken = (label: string, index: number, text: string, rng: Rng) => {
    const voice = pickVoice(groups, rng);
    jobs.push({
      label,
      index,
      text,
      voice,
      prosody: pickProsody(voice, rng),
      file: `${label}/${slug(voice.speaker)}_nohash_${index}.wav`,
      split: input.speakerSplit.get(voice.speaker) ?? 'train',
    });
  };
  for (const keyword of input.keywords) {
    const label = labelOf(keyword);
    for (let i = 0; i < input.perWord; i++) spoken(label, i, keyword, rngFor(input.seed, 'clip', label, i));
  }
  const { similar, common } = input.unknown;
  if (input.unknownCount > 0 && similar.length + common.length === 0)
    throw new ConfigError('no unknown words left after removing the keywords');
  for (let i = 0; i < input.unknownCount; i++) {
    const rng = rngFor(input.seed, 'clip', UNKNOWN_LABEL, i);
    // a third of the unknown clips are sound-alikes: the confusions that matter most
    const list = similar.length > 0 && (common.length === 0 || rng.chance(1 / 3)) ? similar : common;
    spoken(UNKNOWN_LABEL, i, rng.pick(list), rng);
  }
  for (let i = 0; i < input.silenceCount; i++) {
    const name = `noise-${i}_nohash_0.wav`;
    jobs.push({
      label: SILENCE_LABEL,
      index: i,
      text: null,
      voice: null,
      prosody: null,
      file: `${SILENCE_LABEL}/${name}`,
      split: whichSet(name, input.percents.validation, input.percents.test),
    });
  }
  return jobs;
}
