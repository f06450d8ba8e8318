/**
 * `npx tsx scripts/webScreenshot.ts [docs/web-demo.png]`: the demo page in headless Chromium
 * after listening to fixtures/demo.wav through the fake microphone — the events and the live plot
 * of the smoothed posteriors — saved as a PNG (the README's picture of `npm run web`).
 */
import * as path from 'path';
import { buildWeb } from '../web/tools/build';
import { serveWeb } from '../web/tools/server';
import { CHROMIUM_MISSING, findChromium, launchChromium, listenFor, openDemo } from '../test/support/browser';
import { DEMO_WAV, ROOT } from '../test/support/pipeline';

async function main(): Promise<void> {
  const out = path.resolve(process.argv[2] ?? path.join(ROOT, 'docs', 'web-demo.png'));
  const chromium = findChromium();
  if (!chromium) throw new Error(CHROMIUM_MISSING);
  await buildWeb();
  const server = await serveWeb({ port: 0 });
  const browser = await launchChromium(chromium, DEMO_WAV);
  try {
    const page = await openDemo(browser, server.url);
    const events = await listenFor(page, 9.6);
    await page.screenshot({ path: out, fullPage: true });
    process.stdout.write(`${out}: ${events.map((e) => `${e.keyword} ${e.start.toFixed(2)}–${e.end.toFixed(2)} s`).join(', ')}\n`);
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((err) => {
  process.stderr.write(`webScreenshot: ${(err as Error).message}\n`);
  process.exit(1);
});
