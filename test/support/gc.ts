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
