/**
 * gnuspeech, kws synth's in-process engine: the GnuSpeech articulatory synthesizer compiled to
 * WebAssembly (@echogarden/gnuspeech-wasm). It models a vocal tract rather than replaying
 * recorded units, so its voices differ from espeak-ng's formant voices and flite's diphones in
 * kind, not just in timbre. Five voice types (male, female, large_child, small_child, baby).
 *
 * The package's own synthesize() only sets voice, tempo and control rate and leaves GnuSpeech's
 * random intonation on, which draws from std::random_device: the same call gives different audio
 * each time. So this module drives the wasm module directly and writes its configuration files
 * itself: random intonation off (the drift generator stays on; it restarts from the same state
 * each utterance), and pitch and vocal-tract length set from the clip's seeded Prosody instead.
 */
import * as fs from 'fs';
import { DatasetError } from '../errors';

export const GNUSPEECH_PACKAGE = '@echogarden/gnuspeech-wasm';
export const GNUSPEECH_INSTALL_HINT = `install it with: npm install ${GNUSPEECH_PACKAGE}`;
/** The voice types the package ships (data/en/voice_<type>.txt). */
export const GNUSPEECH_VOICE_TYPES = ['baby', 'female', 'large_child', 'male', 'small_child'] as const;

/** GnuSpeech's default pitch_offset in semitones; Prosody.pitch moves it by ±PITCH_RANGE_ST. */
const BASE_PITCH_OFFSET_ST = -4;
const PITCH_RANGE_ST = 3;
/** Prosody.tract ±1 lengthens or shortens the voice's vocal tract by this fraction (adults vary ≈ ±6 %). */
const TRACT_RANGE = 0.06;
/** TRM output rate: 22.05 kHz is the lower of its two rates and still above our 16 kHz. */
const OUTPUT_RATE = 22050;

const CONFIG_DIR = '/data/en';
const OUT_WAV = '/out.wav';
const OUT_PARAMS = '/out-params.txt';

/** What one gnuspeech render is asked for; ranges as in synthRender's Prosody. */
export interface GnuspeechRequest {
  voiceType: string;
  text: string;
  rate: number;
  pitch: number;
  tract: number;
}

interface WasmModule {
  FS: {
    readFile(p: string, o: { encoding: 'utf8' }): string;
    readFile(p: string): Uint8Array;
    writeFile(p: string, data: string): void;
    unlink(p: string): void;
  };
  HEAPU8: Uint8Array;
  _malloc(n: number): number;
  _free(p: number): void;
  _GnuSpeech_synthesizeToFile(text: number, outWav: number, configDir: number, outParams: number, debug: boolean): number;
}

interface Loaded {
  module: WasmModule;
  /** The package's stock configuration files, edited per render. */
  controlModel: string;
  trm: string;
  tractCm: Map<string, number>;
  /** What the C++ side printed during the current render (its error messages). */
  printed: string[];
}

/** "@echogarden/gnuspeech-wasm 0.3.0", or null when the package is not installed. */
export function gnuspeechVersion(): string | null {
  try {
    const file = require.resolve(`${GNUSPEECH_PACKAGE}/package.json`);
    return `${GNUSPEECH_PACKAGE} ${JSON.parse(fs.readFileSync(file, 'utf8')).version}`;
  } catch {
    return null;
  }
}

let loading: Promise<Loaded> | null = null;

async function load(): Promise<Loaded> {
  const printed: string[] = [];
  let init: (arg: object) => Promise<WasmModule>;
  try {
    // a real dynamic import: the package is ESM (tsconfig.build.json keeps import() as import())
    init = ((await import('@echogarden/gnuspeech-wasm/wasm/gnuspeech.js')) as unknown as { default: typeof init }).default;
  } catch (err) {
    throw new DatasetError(
      `gnuspeech: cannot load ${GNUSPEECH_PACKAGE} (${(err as Error).message.split('\n')[0]}); ${GNUSPEECH_INSTALL_HINT}`,
    );
  }
  const module = await init({ print: (s: string) => printed.push(s), printErr: (s: string) => printed.push(s) });
  const read = (name: string) => module.FS.readFile(`${CONFIG_DIR}/${name}`, { encoding: 'utf8' });
  const tractCm = new Map<string, number>();
  for (const v of GNUSPEECH_VOICE_TYPES) {
    const m = /^vocal_tract_length\s*=\s*([\d.]+)/m.exec(read(`voice_${v}.txt`));
    if (!m) throw new DatasetError(`gnuspeech: ${GNUSPEECH_PACKAGE}'s voice_${v}.txt has no vocal_tract_length`);
    tractCm.set(v, Number(m[1]));
  }
  return { module, controlModel: read('trm_control_model.txt'), trm: read('trm.txt'), tractCm, printed };
}

/** `key = value` set in a GnuSpeech configuration file; a key the file lacks is an error, not a no-op. */
export function setConfig(text: string, key: string, value: string | number): string {
  const line = new RegExp(`^${key}\\s*=.*$`, 'm');
  if (!line.test(text)) throw new DatasetError(`gnuspeech: configuration has no "${key}" (${GNUSPEECH_PACKAGE} changed?)`);
  return text.replace(line, `${key} = ${value}`);
}

/** The two configuration files for one render. */
export function gnuspeechConfig(
  req: GnuspeechRequest,
  stock: { controlModel: string; trm: string },
  tractCm: number,
): { controlModel: string; trm: string } {
  let controlModel = stock.controlModel;
  controlModel = setConfig(controlModel, 'voice_name', req.voiceType);
  controlModel = setConfig(controlModel, 'tempo', req.rate.toFixed(4));
  controlModel = setConfig(controlModel, 'pitch_offset', (BASE_PITCH_OFFSET_ST + PITCH_RANGE_ST * req.pitch).toFixed(3));
  controlModel = setConfig(controlModel, 'random_intonation', 0);
  let trm = stock.trm;
  trm = setConfig(trm, 'output_rate', OUTPUT_RATE.toFixed(1));
  trm = setConfig(trm, 'vocal_tract_length_offset', (TRACT_RANGE * tractCm * req.tract).toFixed(3));
  return { controlModel, trm };
}

/**
 * Renders with gnuspeech: WAV bytes (16-bit mono, OUTPUT_RATE). Synchronous inside (≈ 0.3 s per
 * word on one core). Throws DatasetError when the text cannot be spoken or the engine fails.
 */
export async function gnuspeechWav(req: GnuspeechRequest, voiceId: string): Promise<Buffer> {
  const what = `gnuspeech failed for voice ${voiceId} saying "${req.text}"`;
  if (!GNUSPEECH_VOICE_TYPES.includes(req.voiceType as (typeof GNUSPEECH_VOICE_TYPES)[number])) {
    throw new DatasetError(`${what}: unknown voice type "${req.voiceType}" (${GNUSPEECH_VOICE_TYPES.join(', ')})`);
  }
  if (req.text.trim() === '') throw new DatasetError(`${what}: nothing to say`);
  loading ??= load();
  let g: Loaded;
  try {
    g = await loading;
  } catch (err) {
    loading = null;
    throw err;
  }
  const config = gnuspeechConfig(req, g, g.tractCm.get(req.voiceType)!);
  const m = g.module;
  m.FS.writeFile(`${CONFIG_DIR}/trm_control_model.txt`, config.controlModel);
  m.FS.writeFile(`${CONFIG_DIR}/trm.txt`, config.trm);
  try {
    m.FS.unlink(OUT_WAV); // a failed render must not leave the previous one to be read
  } catch {
    // not there yet
  }
  const strings = [req.text, OUT_WAV, CONFIG_DIR, OUT_PARAMS].map((s) => {
    const bytes = Buffer.from(`${s}\0`, 'utf8');
    const p = m._malloc(bytes.length);
    m.HEAPU8.set(bytes, p);
    return p;
  });
  g.printed.length = 0;
  let status: number;
  try {
    status = m._GnuSpeech_synthesizeToFile(strings[0], strings[1], strings[2], strings[3], false);
  } catch {
    // a C++ exception reaches JS as a bare pointer; the module may be left inconsistent, so reload it
    loading = null;
    throw new DatasetError(`${what}: the synthesizer raised an internal error${g.printed.length ? `: ${g.printed[0]}` : ''}`);
  } finally {
    for (const p of strings) m._free(p);
  }
  if (status !== 0) throw new DatasetError(`${what} (status ${status})${g.printed.length ? `: ${g.printed[0]}` : ''}`);
  try {
    return Buffer.from(m.FS.readFile(OUT_WAV));
  } catch {
    throw new DatasetError(`${what}: it wrote no audio`);
  }
}
