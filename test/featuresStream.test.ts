import { expect } from 'chai';
import { AudioSource } from '../src/audio/source';
import { ConfigError } from '../src/errors';
import { MfccExtractor } from '../src/features/mfcc';
import { featureStatistics, makeNormalizer } from '../src/features/normalize';
import { featuresOf } from '../src';
import { speechLike } from './support/features';

/** An AudioSource over fixed chunks that records close() calls and can fail after some chunks. */
function fakeSource(chunks: Float32Array[], opts: { sampleRate?: number; failAfter?: number } = {}) {
  const state = { closed: 0, delivered: 0 };
  const source: AudioSource = {
    sampleRate: opts.sampleRate ?? 16000,
    name: 'fake.wav',
    async close() {
      state.closed++;
    },
    async *[Symbol.asyncIterator]() {
      for (const c of chunks) {
        if (state.delivered === opts.failAfter) throw new Error('source broke');
        state.delivered++;
        yield c;
      }
    },
  };
  return { source, state };
}

function split(x: Float32Array, size: number): Float32Array[] {
  const out: Float32Array[] = [];
  for (let s = 0; s < x.length; s += size) out.push(x.slice(s, s + size));
  return out;
}

async function collect(it: AsyncIterable<Float32Array>): Promise<number[][]> {
  const frames: number[][] = [];
  for await (const f of it) frames.push(Array.from(f));
  return frames;
}

describe('featuresOf(source)', () => {
  const x = speechLike(1.23, 16000, 2);
  const ex = new MfccExtractor();
  const expected = [...ex.push(x), ...ex.flush()].map((f) => Array.from(f));

  it('yields the frames of push(whole) + flush(), whatever the source chunking, and closes the source', async () => {
    for (const size of [1000, 333, 16000]) {
      const { source, state } = fakeSource(split(x, size));
      expect(await collect(featuresOf(source))).to.deep.equal(expected);
      expect(state.closed).to.equal(1);
    }
  });

  it('closes the source when the consumer stops early', async () => {
    const { source, state } = fakeSource(split(x, 500));
    for await (const _ of featuresOf(source)) break;
    expect(state.closed).to.equal(1);
    expect(state.delivered).to.be.lessThan(5);
  });

  it('passes a source failure through and still closes the source', async () => {
    const { source, state } = fakeSource(split(x, 500), { failAfter: 3 });
    let error: unknown;
    await collect(featuresOf(source)).catch((e) => (error = e));
    expect((error as Error)?.message).to.equal('source broke');
    expect(state.closed).to.equal(1);
  });

  it('rejects a source at another sample rate with a ConfigError naming it', async () => {
    const { source, state } = fakeSource(split(x, 500), { sampleRate: 8000 });
    let error: unknown;
    await collect(featuresOf(source)).catch((e) => (error = e));
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as Error).message).to.match(/fake\.wav.*8000 Hz/);
    expect(state.closed).to.equal(1);
  });

  it('normalises frames with the given statistics', async () => {
    const norm = { mean: expected[0].map((_, j) => j - 6), std: expected[0].map((_, j) => 1 + j / 4) };
    const frames = await collect(featuresOf(fakeSource(split(x, 700)).source, {}, norm));
    expect(frames.length).to.equal(expected.length);
    frames.forEach((f, n) => f.forEach((v, j) => expect(v).to.be.closeTo((expected[n][j] - norm.mean[j]) / norm.std[j], 1e-4)));
  });
});

describe('feature normalization', () => {
  it('computes (x − mean)/std per coefficient, in place or into a new array', () => {
    const normalize = makeNormalizer({ mean: [1, -2, 0.5], std: [2, 0.5, 1] }, 3);
    const frame = Float32Array.from([3, -1, 0.5]);
    expect(Array.from(normalize(frame))).to.deep.equal([1, 2, 0]);
    expect(Array.from(frame)).to.deep.equal([3, -1, 0.5]);
    expect(normalize(frame, frame)).to.equal(frame);
    expect(Array.from(frame)).to.deep.equal([1, 2, 0]);
  });

  it('rejects statistics of the wrong length or with std ≤ 0 / non-finite', () => {
    expect(() => makeNormalizer({ mean: [0, 0], std: [1, 1] }, 3)).to.throw(ConfigError, /3 means/);
    expect(() => makeNormalizer({ mean: [0], std: [0] }, 1)).to.throw(ConfigError);
    expect(() => makeNormalizer({ mean: [NaN], std: [1] }, 1)).to.throw(ConfigError);
    expect(() => makeNormalizer({ mean: [0], std: [Infinity] }, 1)).to.throw(ConfigError);
  });

  it('featureStatistics gives per-coefficient mean and population std, std floored for constants', () => {
    const frames = [Float32Array.from([1, 5]), Float32Array.from([3, 5]), Float32Array.from([5, 5])];
    const { mean, std } = featureStatistics(frames, 2);
    expect(mean).to.deep.equal([3, 5]);
    expect(std[0]).to.be.closeTo(Math.sqrt(8 / 3), 1e-12);
    expect(std[1]).to.equal(1e-6);
    expect(() => featureStatistics([], 2)).to.throw(ConfigError);
  });
});
