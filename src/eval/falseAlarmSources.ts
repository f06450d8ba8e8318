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

/** Counts of `falseAlarms` by what was playing; `items` sorted by start, as a stream places them. */
export function falseAlarmSources(falseAlarms: readonly KeywordEvent[], items: readonly PlacedItem[]): FalseAlarmCounts {
  const counts = Object.fromEntries(FALSE_ALARM_SOURCES.map((s) => [s, 0])) as FalseAlarmCounts;
  for (const e of falseAlarms) counts[sourceOf(e, items)]++;
  return counts;
}

function sourceOf(e: KeywordEvent, items: readonly PlacedItem[]): FalseAlarmSource {
  let playing: PlacedItem | null = null;
  for (const item of items) {
    if (item.start > e.end) break;
    if (e.end <= item.end + MATCH_AFTER_SEC) playing = item;
  }
  if (!playing) return 'noise';
  if (playing.source === 'keyword') return playing.label === e.keyword ? 'sameKeyword' : 'otherKeyword';
  return playing.source;
}
