/** The garbage collector as a function (node's `gc`, without starting node with --expose-gc). */
import * as v8 from 'v8';
import * as vm from 'vm';

export function collectGarbage(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

/** Bytes in V8's young generation, where short-lived objects are allocated. */
export function youngBytes(): number {
  return v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_used_size;
}

/**
 * Young-generation bytes that `steps` calls of `step` allocate, the least of `rounds` rounds: a
 * new shape gets its code re-optimised (run unoptimised, boxing numbers, meanwhile) at some point
 * of the first; an allocation in step() shows in every round.
 */
export function allocatedBy(step: (i: number) => void, steps = 5000, rounds = 3): number {
  const gc = collectGarbage();
  let young = Infinity;
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < steps; i++) step(i);
    gc();
    const before = youngBytes();
    for (let i = 0; i < steps; i++) step(i);
    young = Math.min(young, youngBytes() - before);
  }
  return young;
}
