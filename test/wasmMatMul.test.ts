import { expect } from 'chai';
import { initTf } from '../src/lmu/tf/backend';
import { Rng } from '../src/data/random';

/** a·b by the definition, for [batch, n, k]·[batch, k, m] given as nested arrays. */
function reference(a: number[][][], b: number[][][]): number[][][] {
  return a.map((ab, i) => ab.map((row) => b[i][0].map((_, j) => row.reduce((s, v, k) => s + v * b[i][k][j], 0))));
}

describe('wasm BatchMatMul with transposed operands (wasmMatMul.ts)', function () {
  this.timeout(60000);

  it('gives a·b, aᵀ·b, a·bᵀ and aᵀ·bᵀ, rank 2 and 3, as the definition does', async function () {
    const { tf, backend } = await initTf('wasm', { quiet: true });
    if (backend !== 'wasm') this.skip();
    const rng = new Rng(3);
    const random = (shape: number[]) =>
      tf.tensor(
        Float32Array.from({ length: shape.reduce((p, d) => p * d, 1) }, () => rng.normal()),
        shape,
      );
    const swap = (x: import('@tensorflow/tfjs').Tensor) => tf.transpose(x, x.rank === 3 ? [0, 2, 1] : [1, 0]);
    const before = tf.memory().numDataBuffers;
    for (const batch of [0, 2]) {
      const shape = (rows: number, cols: number) => (batch ? [batch, rows, cols] : [rows, cols]);
      const a = random(shape(5, 7));
      const b = random(shape(7, 3));
      const as3 = (x: import('@tensorflow/tfjs').Tensor) => x.arraySync() as number[][][] | number[][];
      const expected = reference((batch ? as3(a) : [as3(a)]) as number[][][], (batch ? as3(b) : [as3(b)]) as number[][][]);
      for (const [tA, tB] of [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ]) {
        const got = tf.tidy(() => tf.matMul(tA ? swap(a) : a, tB ? swap(b) : b, tA, tB).arraySync());
        const flat = (batch ? got : [got]) as number[][][];
        flat.flat(2).forEach((v, i) => expect(v).to.be.closeTo(expected.flat(2)[i], 1e-4));
      }
      a.dispose();
      b.dispose();
    }
    expect(tf.memory().numDataBuffers).to.equal(before); // the transposed copies are freed
  });
});
