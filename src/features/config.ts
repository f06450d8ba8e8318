/** How audio becomes feature frames. Stored in each model's kws.json so runtime = training. */
export interface FeatureConfig {
  sampleRate: number;   // Hz; sources deliver this rate
  windowSize: number;   // samples per analysis window (25 ms)
  fftSize: number;      // window zero-padded to this power of two (meyda's buffer size)
  hop: number;          // samples between frame starts (10 ms)
  melBands: number;
  coefficients: number; // MFCCs kept per frame (≤ melBands, ≤ 40)
}

export const DEFAULT_FEATURE_CONFIG: Readonly<FeatureConfig> = Object.freeze({
  sampleRate: 16000,
  windowSize: 400,
  fftSize: 512,
  hop: 160,
  melBands: 40,
  coefficients: 13,
});

/** Per-coefficient statistics of the training features; frames are fed as (x − mean) / std. */
export interface FeatureNormalization {
  mean: number[];
  std: number[];
}
