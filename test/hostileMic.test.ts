/**
 * Hostile microphones (stand-in recorders, see test/support/fakeRecorder): `kws listen` must
 * report each fault in one clear line, retry with backoff when asked, and leave no recorder
 * process behind — checked in /proc by a marker variable every recorder it starts inherits.
 * Also: a consumer slower than the microphone keeps memory bounded (drop oldest, one warning).
 */
import { expect } from 'chai';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { microphone } from '../src/audio/microphone';
import { FAKE_RECORDER_DIR, withFakeRecorder } from './support/fakeRecorder';
import { cutWav, DEMO_WAV, makeEnergyModel, ROOT, tmpDir } from './support/pipeline';

/** Pids of live processes whose environment holds KWS_HOSTILE_MARK=mark (zombies have none). */
function processesMarked(mark: string): number[] {
  const out: number[] = [];
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`KWS_HOSTILE_MARK=${mark}`)) out.push(Number(pid));
    } catch {
      /* gone, or not ours */
    }
  }
  return out;
}

/** Children of `ppid` in state Z (exited but never reaped). */
function zombieChildren(ppid: number): number[] {
  const out: number[] = [];
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
      const [state, parent] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state === 'Z' && Number(parent) === ppid) out.push(Number(pid));
    } catch {
      /* gone */
    }
  }
  return out;
}

interface ListenRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Recorder launches (one JSON line each in the args log). */
  launches: number;
  /** Zombie children seen while the CLI was waiting to retry. */
  zombiesDuringBackoff: number[];
  /** Marked processes still alive after the CLI exited. */
  leftovers: number[];
}

let runs = 0;
/** `kws listen` with the stand-in recorders; `onStderr` may signal the child. */
async function listen(
  args: string[],
  env: Record<string, string>,
  onStderr?: (text: string, kill: (sig: NodeJS.Signals) => void) => void,
): Promise<ListenRun> {
  const model = await makeEnergyModel();
  const mark = `${process.pid}-${++runs}`;
  const argsLog = path.join(tmpDir(), `listen-args-${mark}.log`);
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'kws.js'), 'listen', '--model', model, ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      PATH: `${FAKE_RECORDER_DIR}${path.delimiter}${process.env.PATH}`,
      KWS_FAKE_NODE: process.execPath,
      KWS_FAKE_ARGS_LOG: argsLog,
      KWS_HOSTILE_MARK: mark,
      ...env,
    },
  });
  let stdout = '';
  let stderr = '';
  const zombies = new Set<number>();
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => {
    stderr += d;
    if (/retrying in [\d.]+ s \(\d+ of \d+\)\n$/.test(stderr)) for (const z of zombieChildren(child.pid!)) zombies.add(z);
    onStderr?.(stderr, (sig) => child.kill(sig));
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  await new Promise((r) => setTimeout(r, 200)); // a leaked recorder would still be alive now
  const launches = fs.existsSync(argsLog) ? fs.readFileSync(argsLog, 'utf8').trim().split('\n').length : 0;
  return { code, stdout, stderr, launches, zombiesDuringBackoff: [...zombies], leftovers: processesMarked(mark) };
}

function clean(r: ListenRun): void {
  expect(r.stderr).not.to.match(/^\s+at /m);
  expect(r.stderr).not.to.contain('internal error');
  expect(r.leftovers, 'recorder processes left running').to.deep.equal([]);
  expect(r.zombiesDuringBackoff, 'unreaped recorders').to.deep.equal([]);
}

describe('hostile input: microphone faults through kws listen', function () {
  this.timeout(40000);
  let clip: string;
  before(async () => {
    await makeEnergyModel();
    clip = cutWav(DEMO_WAV, 2.8, 'hostile-mic-clip.wav').forRecorder;
  });

  it('the marker check sees a live recorder (so an empty leftover list means something)', async () => {
    let seen: number[] = [];
    const r = await listen(['--json'], { KWS_FAKE_WAV: clip, KWS_FAKE_LOOP: '1' }, (text, kill) => {
      if (!text.includes('listening') || seen.length) return;
      seen = [-1];
      setTimeout(() => {
        seen = processesMarked(`${process.pid}-${runs}`);
        kill('SIGINT');
      }, 500);
    });
    expect(seen.length, 'kws + recorder visible while running').to.be.greaterThan(1);
    expect(r.code).to.equal(0);
    clean(r);
  });

  it('recorder missing: names it and how to install it, exit 1, nothing left running', async () => {
    const empty = fs.mkdtempSync(path.join(tmpDir(), 'no-recorder-'));
    const r = await listen(['--retries', '0', '--recorder', 'rec'], { PATH: empty });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/recorder 'rec' not found.*apt-get install sox/);
    clean(r);
  });

  it('recorder exits at start: its stderr is shown, 2 retries at 0.5 s then 1 s, 3 launches, no zombie', async () => {
    const r = await listen(['--retries', '2'], { KWS_FAKE_MODE: 'exit-at-start' });
    expect(r.code).to.equal(1);
    expect(r.stderr.match(/kws: recorder 'sox' exited with code 2: .*cannot open audio device/g)).to.have.length(3);
    expect(r.stderr)
      .to.contain('retrying in 0.5 s (1 of 2)')
      .and.contain('retrying in 1 s (2 of 2)')
      .and.contain('giving up after 2 retries');
    expect(r.launches).to.equal(3);
    clean(r);
  });

  for (const recorder of ['sox', 'arecord']) {
    it(`no audio device (${recorder}, ALSA's no-sound-card text): one 'no microphone:' line, exit 1, not retried`, async () => {
      const r = await listen(['--retries', '3', '--recorder', recorder], { KWS_FAKE_MODE: 'no-device' });
      expect(r.code).to.equal(1);
      const said = r.stderr.trim().split('\n');
      expect(said, r.stderr).to.have.length(1);
      expect(said[0]).to.match(
        new RegExp(
          `^kws: no microphone: recorder '${recorder}' found no audio input device \\(.*(no default audio device configured|audio open error: No such file or directory)\\); connect one or choose one with --device$`,
        ),
      );
      expect(r.stderr).not.to.contain('ALSA lib');
      expect(r.launches).to.equal(1);
      clean(r);
    });
  }

  it("a recorder that fails at once never prints 'listening'; one that streams does, once audio arrives", async () => {
    const failing = await listen(['--retries', '1'], { KWS_FAKE_MODE: 'exit-at-start' });
    expect(failing.stderr).not.to.contain('listening');
    const dying = await listen(['--retries', '1'], {
      KWS_FAKE_WAV: clip,
      KWS_FAKE_MODE: 'die',
      KWS_FAKE_SPEED: '0',
      KWS_FAKE_DIE_AFTER_SEC: '1',
    });
    expect(dying.stderr.match(/^listening \(sox\); Ctrl-C to stop$/gm)).to.have.length(1);
    expect(dying.stderr.match(/^listening again \(sox\)$/gm)).to.have.length(1);
    clean(failing);
    clean(dying);
  });

  it("event times continue on one clock across a restart: the second run is later by at least the first run's audio", async () => {
    // Speed 0: each run sends the whole clip at once, then dies; both runs hold the same audio.
    const r = await listen(['--retries', '1', '--json'], {
      KWS_FAKE_WAV: clip,
      KWS_FAKE_MODE: 'die',
      KWS_FAKE_SPEED: '0',
      KWS_FAKE_DIE_AFTER_SEC: '1',
    });
    expect(r.launches).to.equal(2);
    const events = r.stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { start: number; end: number });
    expect(events.length % 2, r.stdout).to.equal(0);
    expect(events.length).to.be.greaterThan(0);
    const [first, second] = [events.slice(0, events.length / 2), events.slice(events.length / 2)];
    const clipSec = 2.8;
    second.forEach((e, i) => expect(e.start - first[i].start).to.be.at.least(clipSec - 0.001));
    for (let i = 1; i < events.length; i++) expect(events[i].start).to.be.greaterThan(events[i - 1].start);
    clean(r);
  });

  it('recorder dies mid-stream: events before the death are printed, the failure reported, restarted', async () => {
    const r = await listen(['--retries', '1', '--json'], {
      KWS_FAKE_WAV: clip,
      KWS_FAKE_MODE: 'die',
      KWS_FAKE_DIE_AFTER_SEC: '0.4',
      KWS_FAKE_SPEED: '6',
    });
    expect(r.code).to.equal(1);
    expect(r.stderr.match(/exited with code 1: .*audio device disconnected/g)).to.have.length(2);
    expect(r.launches).to.equal(2);
    expect(r.stdout.trim().split('\n').filter(Boolean).length, 'events from the audio before each death').to.be.greaterThan(0);
    clean(r);
  });

  it('recorder stalls: reported after --stall-timeout, the stalled recorder is killed, not left behind', async () => {
    const r = await listen(['--retries', '1', '--stall-timeout', '0.6'], { KWS_FAKE_WAV: clip, KWS_FAKE_MODE: 'stall' });
    expect(r.code).to.equal(1);
    expect(r.stderr.match(/kws: recorder 'sox' stalled: no audio for 0.6 s/g)).to.have.length(2);
    expect(r.launches).to.equal(2);
    clean(r);
  });

  it('partial frames (1- and 3-byte writes): the same events as the well-framed stream', async () => {
    const run = (bytes: string) =>
      listen(['--json', '--retries', '0'], { KWS_FAKE_WAV: clip, KWS_FAKE_SPEED: '0', KWS_FAKE_CHUNK_BYTES: bytes });
    const [whole, one, three] = [await run('3200'), await run('1'), await run('3')];
    const events = (r: ListenRun) => r.stdout.trim().split('\n').filter(Boolean);
    expect(events(whole).length).to.be.greaterThan(0);
    expect(events(one)).to.deep.equal(events(whole));
    expect(events(three)).to.deep.equal(events(whole));
    for (const r of [whole, one, three]) {
      // The clip ends: reported as the recorder stopping, and with --retries 0 that is the end.
      expect(r.stderr).to.contain("recorder 'sox' stopped sending audio");
      clean(r);
    }
  });

  it('Ctrl-C during the backoff wait stops at once (exit 0), nothing left running', async () => {
    let sent = false;
    const r = await listen(['--retries', '5'], { KWS_FAKE_MODE: 'exit-at-start' }, (text, kill) => {
      if (text.includes('retrying in 2 s') && !sent) kill('SIGINT');
      sent ||= text.includes('retrying in 2 s');
    });
    expect(r.code).to.equal(0);
    expect(r.stderr).to.contain('stopped');
    expect(r.launches).to.equal(3);
    clean(r);
  });
});

describe('hostile input: a consumer slower than the microphone', function () {
  this.timeout(30000);

  // A burst that ends and a new one that warns again: test/backlog.test.ts, without a clock.
  it('keeps at most maxBufferedSec queued, drops the oldest, warns once per burst', async () => {
    const clip = cutWav(DEMO_WAV, 1, 'hostile-backpressure.wav').forRecorder;
    const warnings: string[] = [];
    const sizes: number[] = [];
    await withFakeRecorder({ wav: clip, loop: true, speed: 0 }, async () => {
      const mic = microphone({ maxBufferedSec: 0.25, onWarning: (w) => warnings.push(w) });
      for await (const chunk of mic) {
        sizes.push(chunk.length);
        if (sizes.length === 6) break;
        await new Promise((r) => setTimeout(r, 250)); // far slower than the as-fast-as-possible recorder
      }
    });
    // Without the bound each chunk after a pause would hold everything sent meanwhile (MBs).
    for (const n of sizes.slice(1)) expect(n).to.be.at.most(0.25 * 16000 + 1);
    expect(
      sizes.slice(1).some((n) => n >= 0.25 * 16000 - 1),
      'the queue did fill',
    ).to.equal(true);
    expect(warnings).to.have.length(1); // the consumer never caught up: one burst
    expect(warnings[0]).to.match(/dropping the oldest \(keeping the last 0.25 s\)/);
  });
});
