/**
 * Is a trained model usable? One judgement for `kws train` (on the validation split) and
 * `kws eval` (on the split it measured), recorded in kws.json and shown in the model card.
 *
 * A model is NOT usable when any of these holds:
 *   - clip accuracy below CHANCE_FACTOR × chance (chance = 1 / number of classes): it has not
 *     learnt to tell its classes apart;
 *   - a keyword's threshold sits at the bottom of the search range (THRESHOLD_GRID[0]): the
 *     false-alarm budget was met only because its posterior never rises, so the threshold
 *     says nothing about the keyword;
 *   - a keyword can never fire (threshold at the top of the range) or found none of its words
 *     on the detection stream (recall 0);
 *   - the mean false-reject rate at the chosen thresholds is MAX_FRR or more: it misses more
 *     keywords than it finds;
 *   - a keyword fires on digital silence or low noise (quietCheck.ts).
 */
import { percent } from '../format';
import { KwsError } from '../errors';
import { KwsModelConfig } from '../model/kwsJson';
import { THRESHOLD_GRID } from './detection';
import { Verdict } from '../model/records';

export type { Verdict };

export const CHANCE_FACTOR = 2;
export const MAX_FRR = 0.5;

export interface VerdictInput {
  /** The split the figures come from. */
  split: string;
  classes: number;
  /** Clip accuracy on that split. */
  accuracy: number;
  thresholds: Record<string, number>;
  /** Mean FRR over keywords on the detection stream at `thresholds`. */
  frr: number;
  perKeyword: Record<string, { frr: number; inserted: number }>;
  /** Keyword → quiet inputs it fires on. */
  quietFiring: Record<string, string[]>;
}

const pct = (x: number) => percent(x);

export function usabilityVerdict(v: VerdictInput): Verdict {
  const problems: string[] = [];
  const chance = 1 / Math.max(1, v.classes);
  if (v.accuracy < CHANCE_FACTOR * chance) {
    problems.push(
      `${v.split} clip accuracy ${pct(v.accuracy)} is near chance (${pct(chance)} for ${v.classes} classes; needs at least ${pct(CHANCE_FACTOR * chance)})`,
    );
  }
  const bottom = THRESHOLD_GRID[0];
  const top = THRESHOLD_GRID[THRESHOLD_GRID.length - 1];
  const atBottom = Object.keys(v.thresholds).filter((k) => v.thresholds[k] <= bottom);
  if (atBottom.length)
    problems.push(`threshold at the bottom of the search range (${bottom}) for ${atBottom.join(', ')}: its posterior never rises`);
  const atTop = Object.keys(v.thresholds).filter((k) => v.thresholds[k] >= top);
  if (atTop.length) problems.push(`can never fire: ${atTop.join(', ')} (threshold at the top of the search range, ${top})`);
  const unheard = Object.keys(v.thresholds).filter((k) => !atTop.includes(k) && v.perKeyword[k]?.inserted > 0 && v.perKeyword[k].frr >= 1);
  if (unheard.length) problems.push(`never fired on its own words on the ${v.split} stream (recall 0): ${unheard.join(', ')}`);
  if (v.frr >= MAX_FRR)
    problems.push(`false-reject rate ${pct(v.frr)} at the chosen thresholds (misses ${MAX_FRR * 100} % or more of the keywords)`);
  const quiet = Object.entries(v.quietFiring);
  if (quiet.length) problems.push(`fires on silence or low noise: ${quiet.map(([k, on]) => `${k} (${on.join(', ')})`).join('; ')}`);
  return { split: v.split, usable: problems.length === 0, problems };
}

/** The verdict on the validation figures kws.json holds (training's accuracy, the threshold choice). */
export function validationVerdict(c: KwsModelConfig): Verdict {
  const v = c.metrics?.validationStream;
  if (!v) throw new KwsError(`${c.name}: kws.json has no metrics.validationStream to judge (choose thresholds first: kws thresholds)`);
  return usabilityVerdict({
    split: 'validation',
    classes: c.labels.length,
    accuracy: c.metrics?.validationClipAccuracy ?? 0,
    thresholds: c.smoother.thresholds,
    frr: v.frr,
    perKeyword: v.perKeyword ?? {},
    quietFiring: v.quiet?.firing ?? {},
  });
}

/** The one line a user reads: "model usable (validation)" or "model NOT usable (validation): …". */
export function describeVerdict(v: Verdict): string {
  return v.usable ? `model usable (${v.split}): no problem found` : `model NOT usable (${v.split}): ${v.problems.join('; ')}`;
}

/** `--strict`: a model that is not usable is an error (one line, exit code 1). */
export class UnusableModelError extends KwsError {}
