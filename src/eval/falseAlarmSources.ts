/**
 * What a detection stream was playing when a false alarm fired: the inserted item (detectionStream's
 * PlacedItem) that was sounding or had ended at most MATCH_AFTER_SEC before the event — the
 * window in which an event counts for a word (detection.ts) — and of several, the latest to
 * start. An event with no such item fired on the noise bed alone. A keyword clip is told apart
 * by whether it was the event's own keyword (a second event on one word) or another.
 */
import { KeywordEvent } from '../pipeline/events';
import { MATCH_AFTER_SEC } from './detection';
import { PlacedItem } from './detectionStream';

export const FALSE_ALARM_SOURCES = ['otherKeyword', 'sameKeyword', 'clip', 'speech', 'noise'] as const;
export type FalseAlarmSource = (typeof FALSE_ALARM_SOURCES)[number];
export type FalseAlarmCounts = Record<FalseAlarmSource, number>;

/**
 * Per source, the false alarms (`alarms`) and the distinct clips or recordings they fired on
 * (`distinct`; 0 for the noise bed): a stream cycles its material, so five alarms on one phrase
 * heard five times are one thing to fix, not five. `items` are those clips and recordings, most
 * alarms first: what to listen to.
 */
export interface FalseAlarmTally {
  alarms: FalseAlarmCounts;
  distinct: FalseAlarmCounts;
  items: FiredItem[];
}

export interface FiredItem {
  source: FalseAlarmSource;
  /** The file (PlacedItem.path), when the stream knew it. */
  path?: string;
  /** What the clip says, when its corpus logs it (kws synth's synth_clips.tsv): the sound-alike that fired. */
  text?: string;
  alarms: number;
}

/** Counts of `falseAlarms` by what was playing; `items` sorted by start, as a stream places them. */
export function falseAlarmSources(falseAlarms: readonly KeywordEvent[], items: readonly PlacedItem[]): FalseAlarmCounts {
  return tallyFalseAlarms(falseAlarms, items).alarms;
}

/** What a clip says, by its file (PlacedItem.path); undefined when unknown. */
export type TextOf = (path: string) => string | undefined;

/** falseAlarmSources, with the distinct clips or recordings behind each count (and what they say, by `textOf`). */
export function tallyFalseAlarms(
  falseAlarms: readonly KeywordEvent[],
  items: readonly PlacedItem[],
  textOf: TextOf = () => undefined,
): FalseAlarmTally {
  const zero = () => Object.fromEntries(FALSE_ALARM_SOURCES.map((s) => [s, 0])) as FalseAlarmCounts;
  const alarms = zero();
  const fired = new Map<string, FiredItem>();
  for (const e of falseAlarms) {
    const playing = playingAt(e, items);
    const source = sourceOf(e, playing);
    alarms[source]++;
    if (!playing) continue;
    const key = `${source} ${playing.from}`;
    const item = fired.get(key) ?? firedItem(source, playing.path, textOf);
    item.alarms++;
    fired.set(key, item);
  }
  const distinct = zero();
  for (const item of fired.values()) distinct[item.source]++;
  return { alarms, distinct, items: [...fired.values()].sort((a, b) => b.alarms - a.alarms) };
}

/** A new entry for a clip or recording that fired: its file and what it says, when known. */
function firedItem(source: FalseAlarmSource, file: string | undefined, textOf: TextOf): FiredItem {
  const text = file !== undefined ? textOf(file) : undefined;
  return { source, ...(file !== undefined && { path: file }), ...(text !== undefined && { text }), alarms: 0 };
}

function playingAt(e: KeywordEvent, items: readonly PlacedItem[]): PlacedItem | null {
  let playing: PlacedItem | null = null;
  for (const item of items) {
    if (item.start > e.end) break;
    if (e.end <= item.end + MATCH_AFTER_SEC) playing = item;
  }
  return playing;
}

function sourceOf(e: KeywordEvent, playing: PlacedItem | null): FalseAlarmSource {
  if (!playing) return 'noise';
  if (playing.source === 'keyword') return playing.label === e.keyword ? 'sameKeyword' : 'otherKeyword';
  return playing.source;
}
