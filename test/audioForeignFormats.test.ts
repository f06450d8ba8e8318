/** Formats kws does not decode are named by their first bytes, with the command that converts them. */
import { expect } from 'chai';
import { execFileSync } from 'child_process';
import { join } from 'path';
import { AudioFormatError } from '../src/errors';
import { openAudio } from '../src/audio/open';
import { scratchDir, writeTemp } from './support/wav';

async function problem(path: string): Promise<string> {
  try {
    await openAudio(path);
  } catch (e) {
    expect(e).to.be.instanceOf(AudioFormatError);
    return (e as Error).message;
  }
  return expect.fail(`${path} opened`);
}

const soxPipe = (p: string) => `convert it on the fly: sox ${p} -t raw -r 16000 -e signed -b 16 -c 1 - | kws detect -`;
const ffmpegPipe = (p: string) => `convert it on the fly: ffmpeg -i ${p} -f s16le -ar 16000 -ac 1 - | kws detect -`;

describe('audio: formats kws does not decode are named', function () {
  this.timeout(20000);

  it('MP3 and Ogg Vorbis made by sox: named, with the sox pipe that converts them', async () => {
    for (const [ext, what] of [
      ['mp3', 'an MP3'],
      ['ogg', 'an Ogg Vorbis'],
    ]) {
      const file = join(scratchDir(), `tone.${ext}`);
      execFileSync('sox', ['-n', '-r', '16000', file, 'synth', '0.2', 'sine', '440']);
      expect(await problem(file)).to.equal(`${file}: ${what} file, which kws cannot decode (it reads WAV and FLAC); ${soxPipe(file)}`);
    }
  });

  const headers: Array<[string, Buffer, RegExp]> = [
    ['id3.mp3', Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00', 'latin1'), /: an MP3 file/],
    ['clip.m4a', Buffer.from('\x00\x00\x00\x20ftypM4A \x00\x00\x02\x00isomiso2', 'latin1'), /: an M4A \(MP4 audio\) file/],
    ['clip.mp4', Buffer.from('\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00', 'latin1'), /: an MP4 file/],
    ['clip.aac', Buffer.from([0xff, 0xf1, 0x50, 0x80, 0x02, 0x1f, 0xfc]), /: an AAC \(ADTS\) file/],
    ['clip.webm', Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86]), /: a WebM\/Matroska file/],
  ];
  for (const [name, bytes, what] of headers) {
    it(`${name}: named from its magic bytes`, async () => {
      const file = writeTemp(name, Buffer.concat([bytes, Buffer.alloc(100)]));
      const message = await problem(file);
      expect(message).to.match(what);
      expect(message.endsWith(name.endsWith('.mp3') ? soxPipe(file) : ffmpegPipe(file))).to.equal(true);
    });
  }

  it('a path with spaces is quoted for the shell; unknown content still says so', async () => {
    const spaced = writeTemp("my song's take.mp3", Buffer.concat([Buffer.from('ID3\x04', 'latin1'), Buffer.alloc(60)]));
    expect(await problem(spaced)).to.contain(`sox '${spaced.replace(/'/g, `'\\''`)}' -t raw`);
    const text = writeTemp('notes.wav', 'just text');
    expect(await problem(text)).to.equal(`${text}: not a WAV or FLAC file (unrecognised content)`);
  });
});
