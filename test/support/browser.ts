/**
 * Driving the demo page (web/) in Debian's headless Chromium through playwright-core, for the
 * browser tests and the screenshot script. Nothing is downloaded: playwright-core brings no
 * browser, it is pointed at /usr/bin/chromium (installed by scripts/ensureSystemTools.sh).
 * The microphone is Chromium's fake capture device playing a WAV file once.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Browser, chromium, Page } from 'playwright-core';
import type { KeywordEvent } from '../../src/pipeline/events';

/** The Chromium binary: $KWS_CHROMIUM, else `chromium` on the PATH; null when there is none. */
export function findChromium(): string | null {
  if (process.env.KWS_CHROMIUM) return fs.existsSync(process.env.KWS_CHROMIUM) ? process.env.KWS_CHROMIUM : null;
  try {
    return execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

export const CHROMIUM_MISSING =
  'pending: needs Debian chromium (scripts/ensureSystemTools.sh, which npm test runs first, installs it with apt-get; here it could not)';

/** Headless Chromium whose microphone plays `fakeAudio` once (then silence), granted without asking. */
export function launchChromium(executablePath: string, fakeAudio?: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    args: [
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      '--autoplay-policy=no-user-gesture-required',
      ...(fakeAudio ? [`--use-file-for-fake-audio-capture=${path.resolve(fakeAudio)}%noloop`] : []),
    ],
  });
}

/** Opens the demo at `url` with `model` chosen; resolves once the model is loaded. Page errors are collected in `errors`. */
export async function openDemo(browser: Browser, url: string, model = 'default', errors: string[] = []): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1000, height: 820 } });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${url}?model=${encodeURIComponent(model)}`);
  await page.waitForSelector('body[data-state=ready], body[data-state=error]', { timeout: 30000 });
  const state = await page.getAttribute('body', 'data-state');
  if (state !== 'ready') throw new Error(`demo page: ${await page.textContent('#status')}`);
  return page;
}

/** The events the page lists for `source`, oldest first. */
export async function pageEvents(page: Page, source: string): Promise<KeywordEvent[]> {
  // runs in the page: `dataset` of each row (typed loosely, this file is type-checked without DOM types)
  const rows = await page.$$eval('#events tr', (trs) =>
    trs.map((t) => ({ ...(t as unknown as { dataset: Record<string, string> }).dataset })),
  );
  return rows
    .filter((r) => r.source === source)
    .reverse()
    .map((r) => ({ keyword: r.keyword!, start: Number(r.start), end: Number(r.end), confidence: Number(r.confidence) }));
}

/** Presses Listen, waits until the page has heard `seconds` of audio, presses Stop; the microphone's events. */
export async function listenFor(page: Page, seconds: number): Promise<KeywordEvent[]> {
  await page.click('#listen');
  await page.waitForSelector('body[data-state=listening]', { timeout: 15000 });
  await page.waitForFunction(`Number(document.getElementById('clock').dataset.seconds) >= ${seconds}`, null, {
    timeout: (seconds + 30) * 1000,
  });
  await page.click('#listen');
  await page.waitForSelector('body[data-state=ready]', { timeout: 15000 });
  return pageEvents(page, 'microphone');
}

/** Drops `file` on the page's drop zone, as a user dragging it from the desktop would; its events. */
export async function dropFile(page: Page, file: string): Promise<KeywordEvent[]> {
  const name = path.basename(file);
  // a DataTransfer holding the file, made in the page (a string: this file has no DOM types)
  const base64 = fs.readFileSync(file).toString('base64');
  const dataTransfer = await page.evaluateHandle(`(() => {
    const bytes = Uint8Array.from(atob(${JSON.stringify(base64)}), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], ${JSON.stringify(name)}));
    return transfer;
  })()`);
  await page.dispatchEvent('#drop', 'drop', { dataTransfer });
  await page.waitForSelector(`#drop[data-done="${name}"], #drop[data-failed="${name}"]`, { timeout: 30000 });
  if (await page.getAttribute('#drop', 'data-failed')) throw new Error(`demo page: ${await page.textContent('#log')}`);
  return pageEvents(page, name);
}
