/**
 * Streaming runtime speed: µs per step (one 10 ms frame) of StreamingClassifier, no tfjs.
 * Model: 20 features → LMU(memoryD 4, hidden 128) → Dense 64 relu → Dense 12 softmax.
 *
 *     npx tsx bench/lmuRuntime.ts [--steps 20000]
 */
import { parseArgs } from 'util';
import { Discretizer } from '../src/lmu/matrices';
import { StreamingClassifier } from '../src/lmu/runtime';
import { RUNTIME_FORMAT, RuntimeWeights } from '../src/lmu/weights';
import { WeightMatrix } from '../src/lmu/weights';

const { values } = parseArgs({ options: { steps: { type: 'string', default: '20000' } } });
const steps = Number(values.steps);

let seed = 1;
function random(shape: number[]): WeightMatrix {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 0.2;
  return { shape, data };
}

function weights(order: number, discretizer: Discretizer): RuntimeWeights {
  const [inputSize, memoryD, hiddenUnits] = [20, 4, 128];
  return {
    format: RUNTIME_FORMAT,
    inputSize,
    lmu: {
      order,
      theta: discretizer === 'euler' ? 30 * order : 100,
      memoryD,
      hiddenUnits,
      hiddenRank: 0,
      hiddenActivation: 'tanh',
      hiddenToMemory: false,
      memoryToMemory: false,
      inputToHidden: false,
      discretizer,
      kernel: random([inputSize, memoryD]),
      hiddenKernel: random([memoryD * order, hiddenUnits]),
      hiddenBias: random([hiddenUnits]),
    },
    dense: [
      { activation: 'relu', kernel: random([hiddenUnits, 64]), bias: random([64]) },
      { activation: 'softmax', kernel: random([64, 12]), bias: random([12]) },
    ],
  };
}

for (const order of [64, 256]) {
  for (const discretizer of ['zoh', 'euler'] as const) {
    const c = new StreamingClassifier(weights(order, discretizer));
    const frames = Array.from({ length: 100 }, () => random([20]).data);
    for (let i = 0; i < 2000; i++) c.step(frames[i % 100]); // warm-up (JIT)
    const heapBefore = process.memoryUsage().heapUsed;
    let us = Infinity; // best of 5 rounds: the machine is shared, the minimum is the code's speed
    for (let round = 0; round < 5; round++) {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < steps / 5; i++) c.step(frames[i % 100]);
      us = Math.min(us, Number(process.hrtime.bigint() - t0) / 1000 / (steps / 5));
    }
    const heapGrowth = (process.memoryUsage().heapUsed - heapBefore) / 1024;
    const note = discretizer === 'euler' ? `θ=${30 * order}, structured O(order) memory update` : 'θ=100, dense Ā';
    console.log(
      `order ${order} ${discretizer.padEnd(5)} ${us.toFixed(1).padStart(7)} µs/step  state ${c.stateBytes} B  heap +${heapGrowth.toFixed(0)} KiB over ${steps} steps  (${note})`,
    );
  }
}
