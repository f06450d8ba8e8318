/**
 * Which round of hard-negative mining to ship: mining can cost misses (W3's round 1 missed more at
 * 10 dB than round 0), so the last round is not shipped blindly. Every round's model chose its
 * thresholds for the same false-alarm budget on the same validation stream, so its false-reject
 * rate there (validation speakers and material only, never the benchmark's test split) ranks the
 * rounds; a tie keeps the earlier round, which is cheaper to reproduce.
 */
import { MiningRecord, MiningRound } from '../model/records';

export function chooseRound(rounds: readonly MiningRound[]): number {
  if (rounds.length === 0) throw new Error('chooseRound: no mining rounds');
  let best = rounds[0];
  for (const r of rounds) if ((r.validationFrr ?? Infinity) < (best.validationFrr ?? Infinity)) best = r;
  return best.round;
}

/** The round whose model was shipped: the one recorded, or the last in records from before the choice. */
export function shippedRound(m: MiningRecord): number | undefined {
  return m.shipped ?? m.rounds[m.rounds.length - 1]?.round;
}
