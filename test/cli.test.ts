import { expect } from 'chai';
import { execFileSync, execSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { FAKE_RECORDER_DIR } from './support/fakeRecorder';
import { cutWav, DEMO_WAV, makeEnergyModel, ROOT, tmpDir } from './support/pipeline';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/kws.js …` with optional stdin bytes, env and a hook to signal it. */
function kws(
  args: string[],
  opts: { input?: Buffer; env?: NodeJS.ProcessEnv; onStdout?: (text: string, child: ReturnType<typeof spawn>) => void } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'kws.js'), ...args], { cwd: ROOT, env: { ...process.env, ...opts.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      opts.onStdout?.(stdout, child);
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    if (opts.input) child.stdin.end(opts.input);
    else child.stdin.end();
  });
}

const lines = (text: string) => text.split('\n').filter((l) => l.length > 0);
const narrowBand = (name: string) =>
  `warning: ${name}: 8000 Hz input: the model was trained on 16 kHz audio; expect misses — train with band-limited data for narrow-band input`;

/** fixtures/demo.wav resampled to 8 kHz by sox (telephone-band audio). */
function demo8kWav(): string {
  const file = path.join(tmpDir(), 'demo-8k.wav');
  if (!fs.existsSync(file)) execFileSync('sox', [DEMO_WAV, '-r', '8000', file]);
  return file;
}
const noStackTrace = (text: string) => expect(text).not.to.match(/^\s+at /m);

describe('kws CLI (spawned)', function () {
  this.timeout(60000);
  let model: string;
  let demoJson: Array<Record<string, unknown>>;
  before(async () => {
    model = await makeEnergyModel();
    const r = await kws(['detect', DEMO_WAV, '--model', model, '--json']);
    expect(r.code, r.stderr).to.equal(0);
    demoJson = lines(r.stdout).map((l) => JSON.parse(l));
  });

  describe('detect', () => {
    it('--json: one object per event with file, keyword, start, end, confidence', () => {
      expect(demoJson.length).to.be.greaterThan(2);
      for (const e of demoJson) {
        expect(Object.keys(e).sort()).to.deep.equal(['confidence', 'end', 'file', 'keyword', 'start']);
        expect(e.file).to.equal(DEMO_WAV);
        expect(e.keyword).to.equal('yes');
      }
    });

    it('text: one line per event; several files in one call', async () => {
      const noise = path.join(ROOT, 'fixtures', 'noise-only.wav');
      const r = await kws(['detect', DEMO_WAV, noise, '--model', model]);
      expect(r.code).to.equal(0);
      const out = lines(r.stdout);
      expect(out).to.have.length(demoJson.length); // noise-only gives none
      for (const l of out) expect(l).to.match(/^\S+demo\.wav {2}yes {2}\d+\.\d\d–\d+\.\d\d s {2}confidence 0\.\d{3}$/);
    });

    it('no events: exit 0 and no output', async () => {
      const r = await kws(['detect', path.join(ROOT, 'fixtures', 'noise-only.wav'), '--model', model]);
      expect(r).to.deep.include({ code: 0, stdout: '' });
    });

    it("'-' reads s16le 16 kHz mono from stdin and gives the file's events", async () => {
      const clip = cutWav(DEMO_WAV, 60, 'whole-demo.wav'); // all of it;
      const r = await kws(['detect', '-', '--model', model, '--json'], { input: clip.pcm });
      expect(r.code, r.stderr).to.equal(0);
      expect(lines(r.stdout).map((l) => JSON.parse(l))).to.deep.equal(demoJson.map((e) => ({ ...e, file: '-' })));
    });

    it('--threshold overrides a keyword threshold', async () => {
      const r = await kws(['detect', DEMO_WAV, '--model', model, '--threshold', 'yes=0.99']);
      expect(r.code).to.equal(0);
      expect(lines(r.stdout).length).to.be.lessThan(demoJson.length);
    });

    it('8 kHz input (a file or stdin --rate 8000): one warning naming the input, still exit 0; 16 kHz input: none', async () => {
      const demo8k = demo8kWav();
      const file = await kws(['detect', demo8k, '--model', model]);
      expect(file.code, file.stderr).to.equal(0);
      expect(lines(file.stderr)).to.deep.equal([narrowBand(demo8k)]);
      const pcm8k = execFileSync('sox', [demo8k, '-t', 'raw', '-e', 'signed', '-b', '16', '-']);
      const stdin = await kws(['detect', '-', '--rate', '8000', '--model', model], { input: pcm8k });
      expect(stdin.code, stdin.stderr).to.equal(0);
      expect(lines(stdin.stderr)).to.deep.equal([narrowBand('-')]);
      const full = await kws(['detect', DEMO_WAV, '--model', model]);
      expect(full.stderr).to.equal('');
    });

    const bad: Array<[string, () => string[], RegExp]> = [
      ['a missing file', () => ['detect', '/no/such/file.wav', '--model', model], /\/no\/such\/file\.wav/],
      ['a file that is not audio', () => ['detect', writeJunk('junk.wav', 'this is not a wav file at all'), '--model', model], /junk\.wav/],
      ['an empty file', () => ['detect', writeJunk('empty.wav', ''), '--model', model], /empty\.wav/],
      ['a missing model', () => ['detect', DEMO_WAV, '--model', '/no/model'], /\/no\/model/],
      ['an unknown keyword threshold', () => ['detect', DEMO_WAV, '--model', model, '--threshold', 'maybe=0.5'], /maybe/],
      ['a malformed threshold', () => ['detect', DEMO_WAV, '--model', model, '--threshold', 'yes'], /keyword=value/],
      ['a bad stdin encoding', () => ['detect', '-', '--model', model, '--encoding', 'mp3'], /encoding/],
      [
        '--channels two',
        () => ['detect', '-', '--model', model, '--channels', 'two'],
        /^kws: --channels must be a whole number ≥ 1, got "two"\n$/,
      ],
      ['--rate abc', () => ['detect', '-', '--model', model, '--rate', 'abc'], /^kws: --rate must be a number of Hz ≥ 1000, got "abc"\n$/],
    ];
    for (const [what, args, mentions] of bad) {
      it(`${what}: exit 1, one line on stderr, no stack trace`, async () => {
        const r = await kws(args());
        expect(r.code).to.equal(1);
        expect(lines(r.stderr), r.stderr).to.have.length(1);
        expect(r.stderr)
          .to.match(/^kws: /)
          .and.match(mentions);
        expect(r.stderr).not.to.match(/internal error/);
        noStackTrace(r.stderr);
      });
    }

    it('a reader that closes the pipe early (| head -1) ends it quietly: exit 0, nothing on stderr', async () => {
      const r = await kws(['detect', ...Array(6).fill(DEMO_WAV), '--model', model], { onStdout: (_, child) => child.stdout?.destroy() });
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stderr).to.equal('');
    });

    it('a bad file among good ones: the good ones still print, exit 1', async () => {
      const r = await kws(['detect', writeJunk('junk2.wav', 'RIFF'), DEMO_WAV, '--model', model]);
      expect(r.code).to.equal(1);
      expect(lines(r.stdout)).to.have.length(demoJson.length);
      expect(lines(r.stderr)).to.have.length(1);
    });
  });

  describe('regress', () => {
    function manifest(name: string, body: object): string {
      const file = path.join(tmpDir(), name);
      fs.writeFileSync(file, JSON.stringify(body));
      return file;
    }
    const noise = path.join(ROOT, 'fixtures', 'noise-only.wav');

    it('passes (exit 0) when the events are where the manifest says', async () => {
      const events = demoJson.map((e) => ({ keyword: e.keyword, time: ((e.start as number) + (e.end as number)) / 2 }));
      const m = manifest('pass.json', {
        files: [
          { file: DEMO_WAV, events },
          { file: noise, events: [] },
        ],
      });
      const r = await kws(['regress', m, '--model', model]);
      expect(r.code, r.stdout + r.stderr).to.equal(0);
      expect(r.stdout).to.match(/PASS: \d+ ok, 0 missed, 0 shifted, 0 extra/);
    });

    it('fails (exit 1) on missed, shifted and extra events; --json for CI', async () => {
      const all = demoJson.map((e) => ({ keyword: 'yes', start: e.start as number, end: e.end as number }));
      const last = all[all.length - 1];
      const shifted = { ...last, start: last.end + 1, end: last.end + 1.1 }; // 1 s after the last event
      const m = manifest('fail.json', {
        files: [
          { file: DEMO_WAV, events: [all[0], ...all.slice(2, -1), shifted] }, // all[1] becomes extra
          { file: noise, events: [{ keyword: 'yes', time: 3 }] }, // missed
        ],
      });
      const text = await kws(['regress', m, '--model', model]);
      expect(text.code).to.equal(1);
      expect(text.stdout)
        .to.contain('MISSED')
        .and.contain('SHIFTED')
        .and.contain('EXTRA')
        .and.match(/FAIL: /);
      const json = await kws(['regress', m, '--model', model, '--json']);
      expect(json.code).to.equal(1);
      const result = JSON.parse(json.stdout);
      expect(result.summary).to.deep.include({ missed: 1, shifted: 1, extra: 1, passed: false });
      // a generous tolerance turns the shifted event into a match
      const tolerant = JSON.parse((await kws(['regress', m, '--model', model, '--json', '--tolerance', '2'])).stdout);
      expect(tolerant.summary.shifted).to.equal(0);
    });

    it('an 8 kHz file in the manifest gets the narrow-band warning', async () => {
      const demo8k = demo8kWav();
      const m = manifest('narrow.json', { files: [{ file: demo8k, events: [] }] });
      const r = await kws(['regress', m, '--model', model, '--json']);
      expect(lines(r.stderr)).to.deep.equal([narrowBand(demo8k)]);
    });

    it('an unreadable file in the manifest is a failure, a bad manifest one line', async () => {
      const m = manifest('unreadable.json', { files: [{ file: writeJunk('junk3.wav', 'nope'), events: [] }] });
      const r = await kws(['regress', m, '--model', model]);
      expect(r.code).to.equal(1);
      expect(r.stdout).to.contain('ERROR');
      const broken = await kws(['regress', manifest('broken.json', { nope: 1 }), '--model', model]);
      expect(broken.code).to.equal(1);
      expect(lines(broken.stderr)).to.have.length(1);
      noStackTrace(broken.stderr);
    });
  });

  describe('README matches what the commands print', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

    it('the demo output block is exactly what `npm run demo` prints with the shipped model', () => {
      const block = /<!-- the output of `npm run --silent demo`[^\n]*-->\n```\n([\s\S]*?)```/.exec(readme);
      expect(block, 'README: the demo output block after its marker comment').to.not.equal(null);
      const printed = execSync('npm run --silent demo', { cwd: ROOT, encoding: 'utf8' });
      expect(block![1]).to.equal(printed);
    });

    it('regress --json: the README lists exactly the summary keys it prints', async () => {
      const listed = /summary: \{ ([^}]*) \}/.exec(readme);
      expect(listed, 'README: regress --json summary').to.not.equal(null);
      const m = path.join(tmpDir(), 'keys.json');
      fs.writeFileSync(m, JSON.stringify({ files: [{ file: DEMO_WAV, events: [] }] }));
      const r = await kws(['regress', m, '--model', model, '--json']);
      expect(listed![1].split(', ')).to.deep.equal(Object.keys(JSON.parse(r.stdout).summary));
    });
  });

  describe('listen (stand-in recorder)', () => {
    const fakeEnv = (extra: Record<string, string>) => ({
      PATH: `${FAKE_RECORDER_DIR}${path.delimiter}${process.env.PATH}`,
      KWS_FAKE_NODE: process.execPath,
      ...extra,
    });

    it('prints live events, and SIGINT stops it cleanly (exit 0)', async () => {
      const clip = cutWav(DEMO_WAV, 2.8, 'listen-clip.wav');
      const r = await kws(['listen', '--model', model, '--json'], {
        env: fakeEnv({ KWS_FAKE_WAV: clip.forRecorder, KWS_FAKE_LOOP: '1', KWS_FAKE_SPEED: '4' }),
        onStdout: (text, child) => lines(text).length >= 2 && child.kill('SIGINT'),
      });
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stderr).to.contain('stopped');
      const events = lines(r.stdout).map((l) => JSON.parse(l));
      expect(events[0]).to.include({ keyword: 'yes', file: 'microphone' });
      noStackTrace(r.stderr);
    });

    it('a failing recorder: one line per failure, retries with backoff, then exit 1', async () => {
      const r = await kws(['listen', '--model', model, '--retries', '2'], { env: fakeEnv({ KWS_FAKE_MODE: 'exit-at-start' }) });
      expect(r.code).to.equal(1);
      expect(r.stderr)
        .to.contain('retrying in 0.5 s (1 of 2)')
        .and.contain('retrying in 1 s (2 of 2)')
        .and.contain('giving up after 2 retries');
      expect(r.stderr).to.match(/cannot open audio device/);
      noStackTrace(r.stderr);
    });

    it('a recorder dying mid-stream is reported with its stderr and retried', async () => {
      const clip = cutWav(DEMO_WAV, 2.8, 'die-clip.wav');
      const env = fakeEnv({ KWS_FAKE_WAV: clip.forRecorder, KWS_FAKE_MODE: 'die', KWS_FAKE_DIE_AFTER_SEC: '0.3' });
      const r = await kws(['listen', '--model', model, '--retries', '1'], { env });
      expect(r.code).to.equal(1);
      expect(r.stderr.match(/audio device disconnected/g)).to.have.length(2);
      expect(r.stderr).to.contain('retrying in 0.5 s (1 of 1)').and.contain('giving up after 1 retry');
      noStackTrace(r.stderr);
    });

    it('a missing recorder is named with how to install it', async () => {
      const r = await kws(['listen', '--model', model, '--retries', '0', '--recorder', 'arecord'], {
        env: { PATH: fs.mkdtempSync(path.join(tmpDir(), 'empty-path-')) },
      });
      expect(r.code).to.equal(1);
      expect(r.stderr)
        .to.match(/arecord/)
        .and.match(/alsa-utils/);
      noStackTrace(r.stderr);
    });
  });
});

function writeJunk(name: string, text: string): string {
  const file = path.join(tmpDir(), name);
  fs.writeFileSync(file, text);
  return file;
}
