import { expect } from 'chai';
import { execFileSync } from 'child_process';
import { Readable } from 'stream';
import { openAudio } from '../src/audio/open';
import { pcmStream } from '../src/audio/pcm';
import { microphone } from '../src/audio/microphone';
import { AudioSource } from '../src/audio/source';
import { KeywordEvent } from '../src/pipeline/events';
import { KeywordSpotter } from '../src/pipeline/spotter';
import { ConfigError, ModelError } from '../src/errors';
import { Rng } from '../src/data/random';
import { withFakeRecorder } from './support/fakeRecorder';
import { collect } from './support/wav';
import { cutWav, DEMO_WAV, makeEnergyModel, ROOT } from './support/pipeline';

async function events(spotter: KeywordSpotter, source: AudioSource): Promise<KeywordEvent[]> {
  const out: KeywordEvent[] = [];
  for await (const e of spotter.detect(source)) out.push(e);
  return out;
}

/** An AudioSource over samples in memory, cut into random chunk sizes (1 sample … 5000). */
function chunkedSource(samples: Float32Array, seed: number): AudioSource & { closed: boolean } {
  const rng = new Rng(seed);
  const src = {
    sampleRate: 16000,
    name: 'chunks',
    closed: false,
    async close() {
      src.closed = true;
    },
    async *[Symbol.asyncIterator]() {
      for (let at = 0; at < samples.length;) {
        const n = rng.pick([1, 7, 159, 160, 161, 1000, 1 + rng.int(5000)]);
        yield samples.slice(at, at + n);
        at += n;
      }
    },
  };
  return src;
}

/** Raw s16le bytes as a stream in odd-sized pieces (splitting samples between pieces). */
function pcmReadable(pcm: Buffer, seed: number): Readable {
  const rng = new Rng(seed);
  const pieces: Buffer[] = [];
  for (let at = 0; at < pcm.length;) {
    const n = 1 + rng.int(3001);
    pieces.push(pcm.subarray(at, at + n));
    at += n;
  }
  return Readable.from(pieces);
}

describe('KeywordSpotter pipeline', function () {
  this.timeout(30000);
  let spotter: KeywordSpotter;
  let demoEvents: KeywordEvent[];
  before(async () => {
    spotter = await KeywordSpotter.load(await makeEnergyModel());
    demoEvents = await events(spotter, await openAudio(DEMO_WAV));
  });

  it('finds events in a file, in order, with frame-exact times', () => {
    expect(demoEvents.length).to.be.greaterThan(2);
    for (const [i, e] of demoEvents.entries()) {
      expect(e.keyword).to.equal('yes');
      expect(e.end).to.be.greaterThan(e.start);
      expect(e.confidence).to.be.within(0.5, 1);
      expect(Math.abs(e.start * 100 - Math.round(e.start * 100))).to.be.lessThan(1e-9); // start at a 10 ms hop
      expect(Math.abs((e.end - 0.025) * 100 - Math.round((e.end - 0.025) * 100))).to.be.lessThan(1e-9); // hop + window
      if (i > 0) expect(e.start).to.be.greaterThan(demoEvents[i - 1].end);
    }
  });

  it('gives the same events read whole and in random chunks', async () => {
    const samples = await collect(await openAudio(DEMO_WAV));
    for (const seed of [1, 2, 3]) expect(await events(spotter, chunkedSource(samples, seed))).to.deep.equal(demoEvents);
    // and through the push interface
    const stream = spotter.createStream();
    const pushed: KeywordEvent[] = [];
    for (let at = 0; at < samples.length; at += 333) pushed.push(...stream.push(samples.subarray(at, at + 333)));
    pushed.push(...stream.flush());
    expect(pushed).to.deep.equal(demoEvents);
  });

  it('several detect() calls on one spotter run concurrently without sharing state', async () => {
    const samples = await collect(await openAudio(DEMO_WAV));
    const runs = await Promise.all([1, 2, 3, 4].map((seed) => events(spotter, chunkedSource(samples, seed))));
    for (const r of runs) expect(r).to.deep.equal(demoEvents);
  });

  describe('one clip, four ways: whole, random chunks, pcmStream, microphone at real-time pace', () => {
    let clip: ReturnType<typeof cutWav>;
    let whole: KeywordEvent[];
    before(async () => {
      clip = cutWav(DEMO_WAV, 2.8, 'clip.wav'); // "Hello there. Yes"
      whole = await events(spotter, await openAudio(clip.file));
      expect(whole.length, 'the clip must contain events for the comparison to mean anything').to.be.at.least(2);
    });

    it('random chunks', async () => {
      expect(await events(spotter, chunkedSource(await collect(await openAudio(clip.file)), 9))).to.deep.equal(whole);
    });

    it('pcmStream from a byte stream', async () => {
      const source = pcmStream(pcmReadable(clip.pcm, 5), { sampleRate: 16000, encoding: 's16le', channels: 1 });
      expect(await events(spotter, source)).to.deep.equal(whole);
    });

    it('microphone source with the stand-in recorder (real time, ~3 s)', async () => {
      const live = await withFakeRecorder({ wav: clip.forRecorder, speed: 1 }, async () =>
        events(spotter, microphone({ recorder: 'sox' })),
      );
      expect(live).to.deep.equal(whole);
    });
  });

  it('listen(): the event-emitter form emits the same events, then end', async () => {
    const got: KeywordEvent[] = [];
    const listener = spotter.listen(await openAudio(DEMO_WAV));
    listener.on('keyword', (e) => got.push(e));
    listener.on('error', (err) => {
      throw err;
    });
    const ended = new Promise<void>((resolve) => listener.on('end', resolve));
    await listener.done;
    await ended;
    expect(got).to.deep.equal(demoEvents);
  });

  it('listen(): a failing source emits error then end; stop() ends a live source', async () => {
    const failing: AudioSource = {
      sampleRate: 16000,
      name: 'broken',
      async close() {},
      async *[Symbol.asyncIterator]() {
        yield new Float32Array(1600);
        throw new ModelError('broken: device gone');
      },
    };
    const l = spotter.listen(failing);
    const errors: Error[] = [];
    l.on('error', (e) => errors.push(e));
    await l.done;
    expect(errors.map((e) => e.message)).to.deep.equal(['broken: device gone']);
    // without an 'error' listener the failure rejects `done` (no uncaught exception)
    let rejected: unknown;
    await spotter.listen(failing).done.catch((e) => (rejected = e));
    expect(rejected).to.be.instanceOf(ModelError);

    let closed = false;
    let release: () => void = () => undefined;
    const endless: AudioSource = {
      sampleRate: 16000,
      name: 'endless',
      async close() {
        closed = true;
        release();
      },
      async *[Symbol.asyncIterator]() {
        while (!closed) {
          yield new Float32Array(160);
          await new Promise<void>((r) => ((release = r), setTimeout(r, 5)));
        }
      },
    };
    const live = spotter.listen(endless);
    await new Promise((r) => setTimeout(r, 50));
    await live.stop();
    expect(closed).to.equal(true);
  });

  it('closes the source when the consumer stops early', async () => {
    const src = chunkedSource(await collect(await openAudio(DEMO_WAV)), 4);
    for await (const _ of spotter.detect(src)) break;
    expect(src.closed).to.equal(true);
  });

  it('threshold overrides apply; unknown keywords and wrong sample rates are clear errors', async () => {
    const dir = await makeEnergyModel();
    const strict = await KeywordSpotter.load(dir, { thresholds: { yes: 0.99 } });
    expect((await events(strict, await openAudio(DEMO_WAV))).length).to.be.lessThan(demoEvents.length);
    let err: unknown;
    try {
      await KeywordSpotter.load(dir, { thresholds: { maybe: 0.5 } });
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(ConfigError);
    const odd = { ...chunkedSource(new Float32Array(100), 1), sampleRate: 8000 };
    let rateErr: unknown;
    try {
      await events(spotter, odd);
    } catch (e) {
      rateErr = e;
    }
    expect(rateErr)
      .to.be.instanceOf(ConfigError)
      .with.property('message')
      .that.matches(/8000 Hz/);
  });

  it('the pipeline modules load no tfjs', () => {
    const modules = ['pipeline/spotter', 'pipeline/smoother', 'cli/spotterOptions', 'regress/run']
      .map((m) => `require('./src/${m}.ts');`)
      .join('');
    const script = `require('tsx/cjs');${modules}console.log(Object.keys(require.cache).filter((k) => k.includes('@tensorflow')).length)`;
    const out = execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(out.trim()).to.equal('0');
  });

  it('a missing model directory is a ModelError naming it', async () => {
    let err: unknown;
    try {
      await KeywordSpotter.load('/nonexistent/model');
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(ModelError).with.property('message').that.contains('/nonexistent/model');
  });
});
