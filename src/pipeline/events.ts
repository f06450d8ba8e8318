/**
 * What the spotter reports: one keyword utterance, times in seconds from the source start,
 * on 10 ms frame boundaries (see src/pipeline/smoother.ts for the exact rules).
 */
export interface KeywordEvent {
  keyword: string;
  /** Start of the first frame of the run in which the smoothed posterior rose to onsetRatio × threshold. */
  start: number;
  /** End of the frame at which the event fired: the last audio the decision used. */
  end: number;
  /** Smoothed confidence in [0, 1] at the moment the event fired. */
  confidence: number;
}
