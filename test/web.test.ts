/**
 * The spotter in a browser (web/, issue 16): the bundle is built, served on 127.0.0.1, and the
 * demo page is driven in Debian's headless Chromium. A fake microphone playing fixtures/demo.wav
 * must give the keywords `kws detect` finds in that file, with times within 50 ms (Chromium plays
 * it through its capture path at the device's rate); a dropped WAV or FLAC must give exactly the
 * events of KeywordSpotter on that file in Node — the same decode, resampler, MFCC, LMU and
 * smoother. Without chromium (scripts/ensureSystemTools.sh installs it) the browser tests are
 * pending, with the reason on their line; the loading-by-URL test needs no browser.
 */
import { expect } from 'chai';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { openAudio } from '../src/audio/open';
import { ModelError } from '../src/errors';
import { KeywordEvent } from '../src/pipeline/events';
import { DEFAULT_MODEL_DIR, KeywordSpotter } from '../src/pipeline/spotter';
import { buildWeb } from '../web/tools/build';
import { serveWeb, WebServer } from '../web/tools/server';
import { CHROMIUM_MISSING, dropFile, findChromium, launchChromium, listenFor, openDemo } from './support/browser';
import { DEMO_WAV, ROOT, tmpDir } from './support/pipeline';
import { pendingBecause } from './support/sharedData';

async function nodeEvents(spotter: KeywordSpotter, file: string): Promise<KeywordEvent[]> {
  const events: KeywordEvent[] = [];
  for await (const e of spotter.detect(await openAudio(file))) events.push(e);
  return events;
}

/** `kws detect --json FILE`, as a user runs it. */
function kwsDetect(file: string): KeywordEvent[] {
  const out = execFileSync(process.execPath, [path.join(ROOT, 'bin', 'kws.js'), 'detect', '--json', file], { cwd: ROOT, encoding: 'utf8' });
  return out
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

describe('web: the spotter in a browser', function () {
  this.timeout(120000);
  let server: WebServer;
  let spotter: KeywordSpotter;

  before(async () => {
    const dist = path.join(tmpDir(), 'web-dist');
    await buildWeb(dist);
    server = await serveWeb({ port: 0, dist });
    spotter = await KeywordSpotter.load(DEFAULT_MODEL_DIR, { onWarning: () => {} });
  });
  after(() => server?.close());

  describe('a model directory by URL (Node fetch, no browser)', () => {
    it('KeywordSpotter.fromUrl reads the same model as load(dir): the same events on demo.wav', async () => {
      const byUrl = await KeywordSpotter.fromUrl(`${server.url}models/default/`);
      expect(byUrl.config).to.deep.equal(spotter.config);
      expect(await nodeEvents(byUrl, DEMO_WAV)).to.deep.equal(await nodeEvents(spotter, DEMO_WAV));
    });

    it('a URL that is no model directory is one ModelError naming the URL', async () => {
      const url = `${server.url}models/nothing-here/`;
      const err = await KeywordSpotter.fromUrl(url).catch((e) => e);
      expect(err).to.be.instanceOf(ModelError);
      expect(err.message).to.equal(`${url}kws.json: missing (not a model directory?) (HTTP 404)`);
    });

    it('the server is read-only and serves nothing outside the bundle and models/', async () => {
      const status = async (p: string, method = 'GET') => (await fetch(`${server.url}${p}`, { method })).status;
      expect(await status('models/default/kws.json')).to.equal(200);
      expect(await status('models/default/kws.json', 'PUT')).to.equal(405);
      expect(await status('models/%2e%2e/package.json')).to.equal(404);
      expect(await status('..%2fpackage.json')).to.equal(404);
      expect(await (await fetch(`${server.url}models.json`)).json()).to.deep.include({ name: 'default', url: 'models/default/' });
    });
  });

  describe('in headless Chromium', () => {
    let browser: Browser;
    const errors: string[] = [];

    before(async function () {
      const executable = findChromium();
      if (!executable) pendingBecause(this, CHROMIUM_MISSING);
      browser = await launchChromium(executable!, DEMO_WAV);
    });
    after(() => browser?.close());
    afterEach(() => expect(errors, 'errors on the page').to.deep.equal([]));

    it('a fake microphone playing demo.wav: the keywords of kws detect, times within 50 ms', async () => {
      const expected = kwsDetect(DEMO_WAV);
      expect(expected.map((e) => e.keyword)).to.deep.equal(['yes', 'stop', 'go']);
      const page = await openDemo(browser, server.url, 'default', errors);
      const heard = await listenFor(page, 9.6); // demo.wav is 8.8 s
      expect(heard.map((e) => e.keyword)).to.deep.equal(expected.map((e) => e.keyword));
      heard.forEach((e, i) => {
        expect(e.start, `${e.keyword} start`).to.be.closeTo(expected[i].start, 0.05);
        expect(e.end, `${e.keyword} end`).to.be.closeTo(expected[i].end, 0.05);
      });
      await page.close();
    });

    it('a dropped WAV gives exactly the events of KeywordSpotter in Node', async () => {
      const page = await openDemo(browser, server.url, 'default', errors);
      const dropped = await dropFile(page, DEMO_WAV);
      expect(dropped).to.have.length(3);
      expect(dropped).to.deep.equal(await nodeEvents(spotter, DEMO_WAV));
      await page.close();
    });

    it('a dropped FLAC (44.1 kHz stereo) gives exactly the Node events, with the wakewords model', async () => {
      const flac = path.join(tmpDir(), 'demo-44k.flac');
      if (!fs.existsSync(flac)) execFileSync('sox', [DEMO_WAV, '-r', '44100', '-c', '2', flac]);
      const wakewords = await KeywordSpotter.load(path.join(ROOT, 'models', 'wakewords'), { onWarning: () => {} });
      const page = await openDemo(browser, server.url, 'wakewords', errors);
      expect(await dropFile(page, flac)).to.deep.equal(await nodeEvents(wakewords, flac));
      const defaultPage = await openDemo(browser, server.url, 'default', errors);
      const dropped = await dropFile(defaultPage, flac);
      expect(dropped.map((e) => e.keyword)).to.deep.equal(['yes', 'stop', 'go']);
      expect(dropped).to.deep.equal(await nodeEvents(spotter, flac));
      await Promise.all([page.close(), defaultPage.close()]);
    });
  });
});
