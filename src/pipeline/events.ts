/** What the spotter reports: one keyword utterance, times in seconds from the source start. */
export interface KeywordEvent {
  keyword: string;
  start: number;
  end: number;
  /** Smoothed confidence in [0, 1] at the moment the event fired. */
  confidence: number;
}
