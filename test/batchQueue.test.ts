import { expect } from 'chai';
import { BatchQueue } from '../src/train/batchQueue';
import { Batch } from '../src/data/clips';

const batch = (position: number): Batch => ({
  size: position,
  frames: 0,
  x: new Float32Array(0),
  y: new Float32Array(0),
  w: new Float32Array(0),
  labels: new Int32Array(0),
});

describe('BatchQueue (training batches requested ahead)', () => {
  it('requests each batch once, in order, up to depth − 1 ahead of the one taken, and never past the run', async () => {
    const requested: number[] = [];
    const queue = new BatchQueue((p) => (requested.push(p), Promise.resolve(batch(p))), 5, 3);
    expect((await queue.take(0)).size).to.equal(0);
    expect(requested).to.deep.equal([0, 1, 2]);
    queue.fill(1);
    expect(requested).to.deep.equal([0, 1, 2, 3]);
    for (const p of [1, 2, 3, 4]) expect((await queue.take(p)).size).to.equal(p);
    expect(requested).to.deep.equal([0, 1, 2, 3, 4]);
    expect(() => queue.take(4)).to.throw(RangeError);
  });

  it('a batch that fails and is never taken (early stopping) is no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const queue = new BatchQueue((p) => (p === 0 ? Promise.resolve(batch(0)) : Promise.reject(new Error('worker closed'))), 4, 4);
      await queue.take(0);
      await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).to.deep.equal([]);
  });
});
