#!/usr/bin/env node
/*
 * Stand-in for `sox` / `rec` / `arecord` when recording to stdout: streams the WAV named by
 * KWS_FAKE_WAV as raw s16le 16 kHz mono PCM. See README.md in this folder for the variables.
 * Plain JS (no tsx) so it starts fast.
 */
'use strict';
const fs = require('fs');
const path = require('path');
const { WaveFile } = require(path.resolve(__dirname, '../../../node_modules/wavefile'));

const env = process.env;
const mode = env.KWS_FAKE_MODE || 'stream';
const speed = Number(env.KWS_FAKE_SPEED || '1'); // 1 = real time, 0 = as fast as possible
const dieAfterSec = Number(env.KWS_FAKE_DIE_AFTER_SEC || '0.5');
const chunkBytes = Number(env.KWS_FAKE_CHUNK_BYTES || '1601'); // odd on purpose: splits frames
const me = env.KWS_FAKE_AS || 'fake-recorder';

if (env.KWS_FAKE_ARGS_LOG)
  fs.appendFileSync(env.KWS_FAKE_ARGS_LOG, JSON.stringify({ cmd: me, args: process.argv.slice(2), audiodev: env.AUDIODEV || null }) + '\n');
if (env.KWS_FAKE_PID_FILE) fs.writeFileSync(env.KWS_FAKE_PID_FILE, String(process.pid));

if (mode === 'exit-at-start') {
  process.stderr.write(`${me} FAIL: cannot open audio device (fake recorder, exit-at-start)\n`);
  process.exit(2);
}

if (mode === 'no-device') {
  // What ALSA and the recorders print on a machine with no sound card.
  process.stderr.write(
    [
      "ALSA lib confmisc.c:855:(parse_card) cannot find card '0'",
      'ALSA lib conf.c:5180:(_snd_config_evaluate) function snd_func_card_inum returned error: No such file or directory',
      'ALSA lib confmisc.c:422:(snd_func_concat) error evaluating strings',
      'ALSA lib pcm.c:2666:(snd_pcm_open_noupdate) Unknown PCM default',
      me === 'arecord'
        ? 'arecord: main:831: audio open error: No such file or directory'
        : `${me} FAIL sox: Sorry, there is no default audio device configured`,
    ].join('\n') + '\n',
  );
  process.exit(1);
}

function pcmOf(file) {
  const w = new WaveFile(fs.readFileSync(file));
  w.toBitDepth('32f');
  if (w.fmt.sampleRate !== 16000) w.toSampleRate(16000);
  const ch = w.fmt.numChannels;
  const x = w.getSamples(true, Float64Array);
  const out = Buffer.alloc((x.length / ch) * 2);
  for (let t = 0; t < x.length / ch; t++) {
    let s = 0;
    for (let c = 0; c < ch; c++) s += x[t * ch + c];
    out.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round((s / ch) * 32767))), t * 2);
  }
  return out;
}

if (!env.KWS_FAKE_WAV) {
  process.stderr.write(`${me}: fake recorder needs KWS_FAKE_WAV\n`);
  process.exit(3);
}
const pcm = pcmOf(env.KWS_FAKE_WAV);
const bytesPerSec = 32000;
const start = Date.now();
let sent = 0;

function tick() {
  const elapsed = (Date.now() - start) / 1000;
  if (mode === 'die' && elapsed >= dieAfterSec) {
    process.stderr.write(`${me} FAIL: audio device disconnected (fake recorder, died after ${dieAfterSec} s)\n`);
    process.exit(1);
  }
  if (mode === 'stall' && sent >= bytesPerSec * 0.2) return setTimeout(tick, 1000); // never writes again
  const limit = env.KWS_FAKE_LOOP ? Infinity : pcm.length;
  const due = speed > 0 ? Math.min(limit, elapsed * speed * bytesPerSec) : limit;
  while (sent < due) {
    if (sent + chunkBytes > due && due < limit) break; // wait for a whole chunk's worth of time
    const from = sent % pcm.length;
    const piece = pcm.subarray(from, Math.min(from + chunkBytes, pcm.length));
    sent += piece.length;
    if (!process.stdout.write(piece)) return process.stdout.once('drain', tick);
  }
  if (!env.KWS_FAKE_LOOP && sent >= pcm.length && mode !== 'die' && mode !== 'stall') {
    return process.stdout.end(() => process.exit(0));
  }
  setTimeout(tick, 20);
}
process.stdout.on('error', () => process.exit(0)); // reader went away
tick();
