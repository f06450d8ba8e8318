/**
 * Concurrency and backpressure for files and stdin:
 * - 8 files detected at once on one spotter give the same events as one at a time;
 * - pcmStream (stdin, pipes) is pull-based: a consumer that stops pulling stops the reading, so
 *   at most the stream's highWaterMark waits in memory (the writer blocks on a full pipe).
 * The microphone's policy (bounded queue, drop oldest) is tested in hostileMic.test.ts.
 */
import { expect } from 'chai';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Readable } from 'stream';
import { openAudio } from '../src/audio/open';
import { pcmStream } from '../src/audio/pcm';
import { KeywordEvent } from '../src/pipeline/events';
import { KeywordSpotter } from '../src/pipeline/spotter';
import { collect, wavBytes, writeTemp, scratchDir } from './support/wav';
import { DEMO_WAV, makeEnergyModel, ROOT } from './support/pipeline';

async function eventsOf(spotter: KeywordSpotter, file: string, readBytes: number): Promise<KeywordEvent[]> {
  const out: KeywordEvent[] = [];
  for await (const e of spotter.detect(await openAudio(file, { readBytes, onWarning: () => undefined }))) out.push(e);
  return out;
}

/** The five fixture WAVs plus the demo as 44.1 kHz stereo 24-bit, 8 kHz µ-law and FLAC. */
async function eightFiles(): Promise<string[]> {
  const fixtures = fs
    .readdirSync(path.join(ROOT, 'fixtures'))
    .filter((f) => f.endsWith('.wav'))
    .map((f) => path.join(ROOT, 'fixtures', f));
  const demo = await collect(await openAudio(DEMO_WAV));
  const resampled = (rate: number) => {
    const out = new Float32Array(Math.floor((demo.length * rate) / 16000));
    for (let i = 0; i < out.length; i++) out[i] = demo[Math.floor((i * 16000) / rate)];
    return out;
  };
  const flac = path.join(scratchDir(), 'concurrency-demo.flac');
  execFileSync('sox', [DEMO_WAV, flac]);
  const files = [
    ...fixtures,
    writeTemp('concurrency-44k-stereo.wav', wavBytes(resampled(44100), 44100, '24', 2, [1, 0.5])),
    writeTemp('concurrency-8k-mulaw.wav', wavBytes(resampled(8000), 8000, '8m')),
    flac,
  ];
  return files.slice(0, 8);
}

describe('hostile input: concurrency and backpressure', function () {
  this.timeout(60000);

  it('8 files detected concurrently give the same events as one at a time', async () => {
    const spotter = await KeywordSpotter.load(await makeEnergyModel());
    const files = await eightFiles();
    expect(files).to.have.length(8);
    const sequential: KeywordEvent[][] = [];
    for (const f of files) sequential.push(await eventsOf(spotter, f, 256 * 1024));
    expect(sequential.flat().length, 'the files do have events').to.be.greaterThan(5);
    // Different read sizes per file, so the streams interleave at different points.
    const concurrent = await Promise.all(files.map((f, i) => eventsOf(spotter, f, 1000 + 777 * i)));
    concurrent.forEach((evs, i) => expect(evs, path.basename(files[i])).to.deep.equal(sequential[i]));
  });

  it('stdin/pipes are pull-based: a stalled consumer stops the reading (bounded by highWaterMark)', async () => {
    const highWaterMark = 16 * 1024;
    let produced = 0;
    const total = 4 * 1024 * 1024;
    // Produces bytes only when the stream asks for them, like a pipe whose writer blocks when full.
    const readable = new Readable({
      highWaterMark,
      read(size) {
        if (produced >= total) return void this.push(null);
        const n = Math.min(size, total - produced);
        produced += n;
        this.push(Buffer.alloc(n, 1));
      },
    });
    const source = pcmStream(readable, { sampleRate: 16000, encoding: 's16le', channels: 1 });
    const iterator = source[Symbol.asyncIterator]();
    let consumed = 0;
    for (let k = 0; k < 3; k++) consumed += ((await iterator.next()).value as Float32Array).length * 2;
    const stall = () => new Promise((r) => setTimeout(r, 300));
    await stall(); // the consumer stalls: the stream fills its buffer once …
    const buffered = produced;
    await stall(); // … and then reads nothing more
    expect(produced, 'no reading while the consumer stalls').to.equal(buffered);
    expect(produced - consumed).to.be.at.most(2 * highWaterMark);
    await source.close();
    expect(produced).to.be.below(total / 4);
  });
});
