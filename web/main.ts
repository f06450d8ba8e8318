/**
 * The demo page (`npm run web`): pick a shipped model, press Listen, watch the events and the
 * smoothed posteriors; or drop a WAV/FLAC file. Everything it shows comes from WebSpotter.
 */
import { KeywordEvent, WebSpotter } from './webSpotter';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const modelSelect = $<HTMLSelectElement>('model');
const listenButton = $<HTMLButtonElement>('listen');
const status = $('status');
const clock = $('clock');
const canvas = $<HTMLCanvasElement>('plot');
const legend = $('legend');
const drop = $('drop');
const fileInput = $<HTMLInputElement>('file');
const eventRows = $('events');
const log = $('log');

const COLORS = ['#2a5bd7', '#e67e22', '#27ae60', '#c0392b', '#8e44ad', '#16a085', '#d35400', '#2c3e50', '#f1c40f', '#7f8c8d'];
/** Frames the plot shows (10 ms each). */
const PLOT_FRAMES = 1000;

let spotter: WebSpotter | null = null;
let plot = { source: '', keywords: 0, values: new Float32Array(0), last: -1, dirty: false };

function setState(state: string, text: string): void {
  document.body.dataset.state = state;
  status.textContent = text;
}

function report(message: string): void {
  log.textContent += `${message}\n`;
}

function resetPlot(source: string): void {
  const k = spotter?.keywords.length ?? 0;
  plot = { source, keywords: k, values: new Float32Array(PLOT_FRAMES * k), last: -1, dirty: true };
}

function onSmoothed(values: Float32Array, first: number, frames: number, source: string): void {
  if (source !== plot.source) resetPlot(source);
  const k = plot.keywords;
  for (let f = 0; f < frames; f++) {
    const slot = (first + f) % PLOT_FRAMES;
    plot.values.set(values.subarray(f * k, (f + 1) * k), slot * k);
  }
  plot.last = first + frames - 1;
  plot.dirty = true;
}

function draw(): void {
  requestAnimationFrame(draw);
  if (!plot.dirty || !spotter) return;
  plot.dirty = false;
  const g = canvas.getContext('2d')!;
  const { width: w, height: h } = canvas;
  const pad = 40;
  g.clearRect(0, 0, w, h);
  g.font = '22px system-ui, sans-serif';
  g.fillStyle = '#667';
  g.strokeStyle = '#e3e6ee';
  for (const p of [0, 0.5, 1]) {
    const y = h - pad - p * (h - 2 * pad);
    g.beginPath();
    g.moveTo(pad, y);
    g.lineTo(w - 10, y);
    g.stroke();
    g.fillText(p.toFixed(1), 4, y + 7);
  }
  const k = plot.keywords;
  const start = Math.max(0, plot.last - PLOT_FRAMES + 1);
  const x = (frame: number) => pad + ((frame - start) / (PLOT_FRAMES - 1)) * (w - pad - 10);
  const y = (p: number) => h - pad - p * (h - 2 * pad);
  for (let s = Math.ceil(start / 100) * 100; s <= plot.last; s += 100) g.fillText(`${s / 100} s`, x(s) - 12, h - 8);
  spotter.keywords.forEach((kw, i) => {
    g.strokeStyle = COLORS[i % COLORS.length];
    g.setLineDash([8, 8]);
    g.globalAlpha = 0.35;
    g.beginPath();
    g.moveTo(pad, y(spotter!.thresholds[kw]));
    g.lineTo(w - 10, y(spotter!.thresholds[kw]));
    g.stroke();
    g.setLineDash([]);
    g.globalAlpha = 1;
    g.lineWidth = 3;
    g.beginPath();
    for (let f = start; f <= plot.last; f++) {
      const v = plot.values[(f % PLOT_FRAMES) * k + i];
      if (f === start) g.moveTo(x(f), y(v));
      else g.lineTo(x(f), y(v));
    }
    g.stroke();
    g.lineWidth = 1;
  });
}

function showEvent(event: KeywordEvent, source: string): void {
  const row = document.createElement('tr');
  row.className = 'fresh';
  row.dataset.source = source;
  row.dataset.keyword = event.keyword;
  row.dataset.start = String(event.start);
  row.dataset.end = String(event.end);
  row.dataset.confidence = String(event.confidence);
  const cells = [source, event.keyword, `${event.start.toFixed(2)} – ${event.end.toFixed(2)} s`, event.confidence.toFixed(3)];
  cells.forEach((text, i) => {
    const td = document.createElement('td');
    td.textContent = text;
    if (i === 1) td.className = 'kw';
    row.appendChild(td);
  });
  eventRows.prepend(row);
}

async function loadModel(url: string): Promise<void> {
  if (spotter) await spotter.close();
  spotter = null;
  listenButton.disabled = true;
  setState('loading', `loading ${url}…`);
  try {
    spotter = await WebSpotter.load(url, {
      onKeyword: showEvent,
      onSmoothed,
      onClock: (seconds) => {
        clock.dataset.seconds = String(seconds);
        clock.textContent = `${seconds.toFixed(1)} s heard`;
      },
      onWarning: report,
      onError: (message) => {
        report(message);
        setState('error', message);
      },
    });
  } catch (err) {
    setState('error', `cannot load ${url}: ${(err as Error).message}`);
    return;
  }
  legend.replaceChildren(
    ...spotter.keywords.map((kw, i) => {
      const span = document.createElement('span');
      span.textContent = kw;
      span.style.setProperty('--c', COLORS[i % COLORS.length]);
      return span;
    }),
  );
  resetPlot('');
  listenButton.disabled = false;
  setState('ready', `${spotter.name}: ${spotter.keywords.join(', ')}`);
}

listenButton.onclick = async () => {
  if (!spotter) return;
  listenButton.disabled = true;
  try {
    if (spotter.listening) {
      await spotter.stop();
      listenButton.textContent = 'Listen';
      listenButton.classList.remove('on');
      setState('ready', 'stopped');
    } else {
      resetPlot('microphone');
      const rate = await spotter.listen();
      listenButton.textContent = 'Stop';
      listenButton.classList.add('on');
      setState('listening', `listening (${rate} Hz → 16 kHz)`);
    }
  } catch (err) {
    setState('error', `microphone: ${(err as Error).message}`);
  } finally {
    listenButton.disabled = false;
  }
};

async function spotFile(file: File): Promise<void> {
  if (!spotter) return;
  resetPlot(file.name);
  drop.dataset.busy = file.name;
  try {
    const events = await spotter.detect(file);
    drop.textContent = `${file.name}: ${events.length} event${events.length === 1 ? '' : 's'} — drop another`;
    drop.dataset.done = file.name;
  } catch (err) {
    report((err as Error).message);
    drop.dataset.failed = file.name;
  }
}

drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  const file = e.dataTransfer?.files[0];
  if (file) void spotFile(file);
});
fileInput.onchange = () => fileInput.files?.[0] && void spotFile(fileInput.files[0]);
modelSelect.onchange = () => void loadModel(modelSelect.value);

async function start(): Promise<void> {
  const models: { name: string; url: string }[] = await (await fetch('models.json')).json();
  for (const m of models) modelSelect.add(new Option(m.name, m.url));
  const wanted = new URLSearchParams(location.search).get('model');
  if (wanted) modelSelect.value = models.find((m) => m.name === wanted)?.url ?? modelSelect.value;
  requestAnimationFrame(draw);
  await loadModel(modelSelect.value);
}

start().catch((err) => setState('error', (err as Error).message));
