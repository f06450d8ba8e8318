/**
 * Which text-to-speech voices this machine has: every English espeak-ng voice crossed with every
 * espeak-ng variant (timbres m1…m8, f1…f5, whisper, croak, klatt …), every flite voice, and the
 * five gnuspeech voice types (an npm package, synthGnuspeech.ts).
 * MBROLA voices (files under mb/) are skipped: they need the separate mbrola program and data.
 * flite's awb_time is skipped: it is a limited-domain voice that can only say clock times.
 */
import { execFile } from 'child_process';
import { promisify } from 'util';
import { DatasetError } from '../errors';
import { GNUSPEECH_INSTALL_HINT, GNUSPEECH_VOICE_TYPES, gnuspeechVersion } from './gnuspeech';

const run = promisify(execFile);

/** Every engine kws synth knows, in the order they are listed. */
export const ENGINES = ['espeak-ng', 'flite', 'gnuspeech'] as const;
export type Engine = (typeof ENGINES)[number];

export interface Voice {
  /** Stable identifier, e.g. 'espeak-ng:gmw/en-US+f3' or 'flite:slt'. */
  id: string;
  engine: Engine;
  /** The value passed to the engine's voice option. */
  name: string;
  /**
   * The speaker this voice sounds like, used to split train/validation/test: for espeak-ng the
   * variant family (the same timbre in another accent is the same speaker; numbered siblings
   * such as robosoft…robosoft8 or klatt…klatt6 are one family, but m1…m8 and f1…f5 are distinct
   * voices), for flite the voice (kal16 counts as kal), for gnuspeech the voice type.
   */
  speaker: string;
  /** flite only: the voice's typical F0 in Hz, so pitch can be varied around it. */
  f0Hz?: number;
}

/** Version of each engine, null when it is not installed. */
export type ToolVersions = Record<Engine, string | null>;

export const INSTALL_HINT = 'install them with: sudo apt-get install espeak-ng flite sox';
const INSTALL_HINTS: Record<Engine, string> = { 'espeak-ng': INSTALL_HINT, flite: INSTALL_HINT, gnuspeech: GNUSPEECH_INSTALL_HINT };

/** flite voices that cannot read arbitrary text. */
const FLITE_LIMITED_DOMAIN = new Set(['awb_time']);
/** Typical F0 of the stock flite voices (measured); int_f0_target_mean is varied around it. */
const FLITE_F0: Record<string, number> = { kal: 100, kal16: 95, awb: 110, rms: 90, slt: 175 };

/** Output of `cmd args` (flite --version exits with status 1 but prints it), null when cmd is missing. */
async function versionText(cmd: string, args: string[]): Promise<string | null> {
  try {
    const { stdout, stderr } = await run(cmd, args, { maxBuffer: 1 << 20 });
    return `${stdout}${stderr}`;
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    if (e.code === 'ENOENT') return null;
    if (e.stdout || e.stderr) return `${e.stdout ?? ''}${e.stderr ?? ''}`;
    throw err;
  }
}

export async function toolVersions(): Promise<ToolVersions> {
  const espeak = await versionText('espeak-ng', ['--version']);
  const flite = await versionText('flite', ['--version']);
  return {
    'espeak-ng':
      espeak === null
        ? null
        : espeak
            .trim()
            .split('\n')[0]
            .replace(/\s+Data at:.*$/, '')
            .trim(),
    flite: flite === null ? null : (/version:\s*(.*)/.exec(flite)?.[1] ?? flite.trim().split('\n')[0]).trim(),
    gnuspeech: gnuspeechVersion(),
  };
}

/** Speaker family of an espeak-ng variant: trailing digits dropped, except for m1…m8, f1…f5. */
export function variantFamily(variant: string): string {
  return /^[mf]\d+$/.test(variant) ? variant : variant.replace(/\d+$/, '');
}

/** Parses `espeak-ng --voices=<lang>`: rows of Pty, Language, Age/Gender, VoiceName, File, … */
export function parseEspeakVoiceTable(text: string): Array<{ language: string; name: string; file: string }> {
  const rows: Array<{ language: string; name: string; file: string }> = [];
  for (const line of text.split('\n').slice(1)) {
    const m = /^\s*\d+\s+(\S+)\s+\S+\s+(\S+)\s+(.+?)\s*(\(.*)?$/.exec(line);
    if (m) rows.push({ language: m[1], name: m[2], file: m[3].trim() });
  }
  return rows;
}

/** Parses `flite -lv`: "Voices available: kal awb_time kal16 awb rms slt". */
export function parseFliteVoiceList(text: string): string[] {
  const m = /Voices available:(.*)/.exec(text);
  return m ? m[1].trim().split(/\s+/).filter(Boolean) : [];
}

export interface VoiceInventory {
  voices: Voice[];
  /** The engines the voices come from. */
  engines: Engine[];
  /** Versions of those engines (null for the others). */
  versions: ToolVersions;
  /** Voices listed by the tools but not used, with the reason. */
  skipped: string[];
}

/**
 * Lists the usable voices of `engines`, by default of every engine installed. Throws DatasetError
 * when an engine asked for is missing (saying how to install it) and when none is installed.
 */
export async function discoverVoices(engines?: Engine[]): Promise<VoiceInventory> {
  const installed = await toolVersions();
  const present = ENGINES.filter((e) => installed[e] !== null);
  const use = ENGINES.filter((e) => (engines ?? present).includes(e));
  const missing = use.filter((e) => installed[e] === null);
  if (missing.length > 0) {
    const hints = [...new Set(missing.map((e) => INSTALL_HINTS[e]))].join('; ');
    const alternative = present.length > 0 ? ` (or use what is installed: --engines ${present.join(',')})` : '';
    throw new DatasetError(`kws synth needs ${missing.join(' and ')}, not installed; ${hints}${alternative}`);
  }
  if (use.length === 0) throw new DatasetError(`no TTS engine found; ${INSTALL_HINT}, or ${GNUSPEECH_INSTALL_HINT}`);
  const versions = Object.fromEntries(ENGINES.map((e) => [e, use.includes(e) ? installed[e] : null])) as ToolVersions;
  const voices: Voice[] = [];
  const skipped: string[] = [];
  if (use.includes('espeak-ng')) {
    const accents = parseEspeakVoiceTable((await run('espeak-ng', ['--voices=en'])).stdout).filter((r) => r.language !== 'variant');
    const variants = parseEspeakVoiceTable((await run('espeak-ng', ['--voices=variant'])).stdout).map((r) => r.file.replace(/^!v\//, ''));
    const usableVariants = [...new Set(variants)]
      .filter((v) => {
        if (/\s/.test(v)) skipped.push(`espeak-ng variant "${v}" (space in its file name, cannot be selected)`);
        return !/\s/.test(v);
      })
      .sort();
    for (const accent of accents) {
      if (accent.file.startsWith('mb/')) {
        skipped.push(`espeak-ng ${accent.name} (${accent.file}: MBROLA voice, needs the mbrola program)`);
        continue;
      }
      voices.push({ id: `espeak-ng:${accent.file}`, engine: 'espeak-ng', name: accent.file, speaker: 'espeak-default' });
      for (const v of usableVariants) {
        voices.push({
          id: `espeak-ng:${accent.file}+${v}`,
          engine: 'espeak-ng',
          name: `${accent.file}+${v}`,
          speaker: `espeak-${variantFamily(v)}`,
        });
      }
    }
  }
  if (use.includes('flite')) {
    const names = parseFliteVoiceList((await run('flite', ['-lv'])).stdout);
    for (const name of names.sort()) {
      if (FLITE_LIMITED_DOMAIN.has(name)) {
        skipped.push(`flite ${name} (limited-domain voice)`);
        continue;
      }
      voices.push({ id: `flite:${name}`, engine: 'flite', name, speaker: `flite-${name.replace(/\d+$/, '')}`, f0Hz: FLITE_F0[name] });
    }
  }
  if (use.includes('gnuspeech')) {
    for (const type of GNUSPEECH_VOICE_TYPES) {
      voices.push({ id: `gnuspeech:${type}`, engine: 'gnuspeech', name: type, speaker: `gnuspeech-${type.replace(/_/g, '-')}` });
    }
  }
  if (voices.length === 0) throw new DatasetError(`no usable English TTS voice found; ${INSTALL_HINT}`);
  voices.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { voices, engines: use, versions, skipped };
}
