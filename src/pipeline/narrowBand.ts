/**
 * Audio sampled below the model's training rate has no content above its own Nyquist frequency
 * (8 kHz telephone audio stops at 4 kHz), however it is resampled: the top mel bands the model
 * learned from stay empty, and a model trained on full-band speech then mostly finds nothing.
 */
import { FeatureConfig } from '../features/config';

/** The warning for audio whose band stops below the model's, or null when the band is fine or unknown. */
export function narrowBandWarning(inputSampleRate: number | undefined, features: FeatureConfig): string | null {
  if (inputSampleRate === undefined || inputSampleRate >= features.sampleRate) return null;
  return (
    `${inputSampleRate} Hz input: the model was trained on ${features.sampleRate / 1000} kHz audio; ` +
    'expect misses — train with band-limited data for narrow-band input'
  );
}
