/** The recorded command line (kws.json training.command) is read back word for word. */
import { expect } from 'chai';
import { commandWords, recordedCommand } from '../src/cli/commandLine';

describe('recorded command line', () => {
  it('quotes only words with whitespace, and reads every word back as given', () => {
    const args = ['train', '--keywords', 'alexa,smart mirror', '--out', 'a "b"\tc', '--epochs', '80'];
    const line = recordedCommand(args);
    expect(line).to.equal('kws train --keywords "alexa,smart mirror" --out "a \\"b\\"\\tc" --epochs 80');
    expect(commandWords(line)).to.deep.equal(['kws', ...args]);
    expect(commandWords('')).to.deep.equal([]);
  });
});
