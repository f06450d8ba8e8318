/** Runs a KeywordSpotter over every file of a regression manifest (the I/O half of regress.ts). */
import { openAudio } from '../audio/open';
import { KwsError } from '../errors';
import { KeywordEvent } from '../pipeline/events';
import { compareEvents, FileReport, RegressionSummary, summarize } from './compare';
import { DEFAULT_TOLERANCE_SEC, loadManifest } from './manifest';
import { KeywordSpotter } from '../pipeline/spotter';

export interface RegressionResult {
  manifest: string;
  tolerance: number;
  summary: RegressionSummary;
  files: FileReport[];
}

/** @param tolerance seconds; default: the manifest's `tolerance`, else DEFAULT_TOLERANCE_SEC. */
export async function runRegression(spotter: KeywordSpotter, manifestPath: string, tolerance?: number): Promise<RegressionResult> {
  const manifest = loadManifest(manifestPath);
  const tol = tolerance ?? manifest.tolerance ?? DEFAULT_TOLERANCE_SEC;
  const files: FileReport[] = [];
  for (const entry of manifest.files) {
    try {
      const detected: KeywordEvent[] = [];
      for await (const e of spotter.detect(await openAudio(entry.file))) detected.push(e);
      files.push({ file: entry.name, comparisons: compareEvents(entry.events, detected, tol, entry.knownFalseAlarms) });
    } catch (err) {
      if (!(err instanceof KwsError) && !(err as NodeJS.ErrnoException).code) throw err;
      files.push({ file: entry.name, comparisons: [], error: (err as Error).message });
    }
  }
  return { manifest: manifestPath, tolerance: tol, summary: summarize(files), files };
}
