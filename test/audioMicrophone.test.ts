import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { NoMicrophoneError, RecorderError } from '../src/errors';
import { microphone } from '../src/audio/microphone';
import { withFakeRecorder } from './support/fakeRecorder';
import { collect, scratchDir, tone, wavBytes, writeTemp } from './support/wav';

/** True while a process with this pid exists (a zombie counts as existing). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function expectRecorderError(run: () => Promise<unknown>, pattern: RegExp): Promise<RecorderError> {
  try {
    await run();
  } catch (e) {
    expect(e).to.be.instanceOf(RecorderError);
    expect((e as Error).message).to.match(pattern);
    return e as RecorderError;
  }
  return expect.fail('expected a RecorderError');
}

describe('audio: microphone via the stand-in recorder', function () {
  this.timeout(20000);
  const x = tone(440, 16000, 1.2, 0.5);
  const wav = writeTemp('mic.wav', wavBytes(x, 16000, '16'));

  for (const recorder of ['sox', 'rec', 'arecord'] as const) {
    it(`streams a real-time-paced recording through '${recorder}', frames split at odd byte counts`, async () => {
      const argsLog = join(scratchDir(), `args-${recorder}.log`);
      await withFakeRecorder({ wav, argsLog }, async () => {
        const src = microphone({ recorder, device: 'hw:7', onWarning: () => {} });
        expect(src.sampleRate).to.equal(16000);
        expect(src.durationSec).to.equal(undefined);
        const y = await collect(src);
        expect(y.length).to.equal(x.length);
        for (let i = 0; i < x.length; i += 97) expect(y[i]).to.be.closeTo(x[i], 1 / 16384);
      });
      const call = JSON.parse(readFileSync(argsLog, 'utf8').trim().split('\n').pop()!);
      expect(call.cmd).to.equal(recorder);
      if (recorder === 'arecord') expect(call.args).to.include.members(['-D', 'hw:7', 'raw']);
      if (recorder !== 'arecord') expect(call.audiodev).to.equal('hw:7');
    });
  }

  it('rejects with a RecorderError carrying stderr when the recorder dies after 0.5 s, keeping the audio before', async () => {
    await withFakeRecorder({ wav, mode: 'die', dieAfterSec: 0.5 }, async () => {
      const src = microphone({ recorder: 'sox' });
      let got = 0;
      await expectRecorderError(async () => {
        for await (const c of src) got += c.length;
      }, /'sox' exited with code 1: .*audio device disconnected/);
      expect(got).to.be.within(4000, 12000);
    });
  });

  it('reports a recorder that exits at start', async () => {
    await withFakeRecorder({ wav, mode: 'exit-at-start' }, async () => {
      await expectRecorderError(
        () => collect(microphone({ recorder: 'arecord' })),
        /'arecord' exited with code 2: .*cannot open audio device/,
      );
    });
  });

  it('no capture device at all is a NoMicrophoneError naming it in one line; a failure that may pass is not', async () => {
    await withFakeRecorder({ mode: 'no-device' }, async () => {
      const e = await expectRecorderError(
        () => collect(microphone({ recorder: 'rec' })),
        /^no microphone: recorder 'rec' found no audio input device \(rec FAIL sox: Sorry, there is no default audio device configured\)/,
      );
      expect(e).to.be.instanceOf(NoMicrophoneError);
      expect(e.message).not.to.contain('\n');
    });
    await withFakeRecorder({ wav, mode: 'exit-at-start' }, async () => {
      const e = await expectRecorderError(() => collect(microphone({ recorder: 'sox' })), /exited with code 2/);
      expect(e).not.to.be.instanceOf(NoMicrophoneError);
    });
  });

  it('reports a stalled recorder and kills it', async () => {
    const pidFile = join(scratchDir(), 'stall.pid');
    await withFakeRecorder({ wav, mode: 'stall', pidFile }, async () => {
      await expectRecorderError(() => collect(microphone({ recorder: 'sox', stallTimeoutSec: 0.5 })), /stalled: no audio for 0.5 s/);
      expect(alive(Number(readFileSync(pidFile, 'utf8')))).to.equal(false);
    });
  });

  it('names the missing binary and how to install it', async () => {
    await withFakeRecorder({ missing: true }, async () => {
      await expectRecorderError(() => collect(microphone({ recorder: 'sox' })), /'sox' not found.*apt-get install sox/);
      await expectRecorderError(() => collect(microphone({ recorder: 'arecord' })), /'arecord' not found.*apt-get install alsa-utils/);
    });
  });

  it('a recorder that cannot be started (not executable) is a RecorderError, not an uncaught exception', async () => {
    await withFakeRecorder({ missing: true }, async () => {
      writeFileSync(join(process.env.PATH!, 'sox'), 'not a program', { mode: 0o644 });
      await expectRecorderError(() => collect(microphone({ recorder: 'sox' })), /'sox' failed to start: .*EACCES/);
    });
  });

  it('close() mid-stream ends iteration and leaves no recorder process', async () => {
    const pidFile = join(scratchDir(), 'close.pid');
    await withFakeRecorder({ wav, pidFile, loop: true }, async () => {
      const src = microphone({ recorder: 'rec' });
      let got = 0;
      for await (const c of src) {
        got += c.length;
        if (got >= 3200) await src.close();
      }
      const pid = Number(readFileSync(pidFile, 'utf8'));
      expect(alive(pid)).to.equal(false);
      await src.close(); // twice is fine
    });
  });

  it('breaking out of for-await also stops the recorder', async () => {
    const pidFile = join(scratchDir(), 'break.pid');
    await withFakeRecorder({ wav, pidFile, loop: true, speed: 4 }, async () => {
      for await (const c of microphone({ recorder: 'sox' })) if (c.length) break;
      expect(alive(Number(readFileSync(pidFile, 'utf8')))).to.equal(false);
    });
  });
});
