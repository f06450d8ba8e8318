/**
 * Audio formats kws does not decode, recognised by their first bytes so the error can name the
 * format and say how to convert it into the raw PCM `kws detect -` reads. sox reads MP3, Ogg
 * Vorbis and AIFF (Debian: libsox-fmt-all); it reads no MP4/AAC, Opus or WebM, so those get ffmpeg.
 */
import { latin1, u32be } from './bytes';
import { TARGET_SAMPLE_RATE } from './source';

/** Bytes openAudio reads to recognise a format. */
export const SNIFF_BYTES = 64;

/** "an MP3 file — convert it: sox … | kws detect -", or null when the bytes say nothing known. */
export function foreignFormatProblem(path: string, head: Uint8Array): string | null {
  const name = formatName(head);
  if (!name) return null;
  const file = shellQuote(path);
  const convert =
    name.tool === 'sox'
      ? `sox ${file} -t raw -r ${TARGET_SAMPLE_RATE} -e signed -b 16 -c 1 - | kws detect -`
      : `ffmpeg -i ${file} -f s16le -ar ${TARGET_SAMPLE_RATE} -ac 1 - | kws detect -`;
  return `${name.what} file, which kws cannot decode (it reads WAV and FLAC); convert it on the fly: ${convert}`;
}

function formatName(b: Uint8Array): { what: string; tool: 'sox' | 'ffmpeg' } | null {
  const text = (from: number, to: number) => latin1(b, from, to);
  if (text(0, 3) === 'ID3') return { what: 'an MP3', tool: 'sox' };
  if (b.length >= 2 && b[0] === 0xff && (b[1] & 0xe0) === 0xe0) {
    // MPEG audio frame sync; layer bits 00 are AAC in an ADTS stream.
    return ((b[1] >> 1) & 3) === 0 ? { what: 'an AAC (ADTS)', tool: 'ffmpeg' } : { what: 'an MP3', tool: 'sox' };
  }
  if (text(0, 4) === 'OggS') {
    if (text(28, 36) === 'OpusHead') return { what: 'an Ogg Opus', tool: 'ffmpeg' };
    return { what: text(29, 35) === 'vorbis' ? 'an Ogg Vorbis' : 'an Ogg', tool: 'sox' };
  }
  if (text(4, 8) === 'ftyp') return { what: text(8, 11) === 'M4A' ? 'an M4A (MP4 audio)' : 'an MP4', tool: 'ffmpeg' };
  if (text(0, 4) === 'FORM' && ['AIFF', 'AIFC'].includes(text(8, 12))) return { what: 'an AIFF', tool: 'sox' };
  if (b.length >= 4 && u32be(b, 0) === 0x1a45dfa3) return { what: 'a WebM/Matroska', tool: 'ffmpeg' };
  return null;
}

/** The path as one shell word. */
function shellQuote(path: string): string {
  return /^[\w./+@:-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}
