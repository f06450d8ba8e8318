import { expect } from 'chai';
import { COMMON_WORDS, HOMOPHONES, SOUND_ALIKES, unknownWordsFor } from '../src/synth/words';

describe('synth vocabulary', () => {
  it('never makes a homophone of a keyword an _unknown_ word (sound-alikes or common words)', () => {
    expect(COMMON_WORDS).to.include('write'); // the common list does hold one: the filter must catch it
    const { similar, common } = unknownWordsFor(['yes', 'no', 'up', 'down', 'left', 'right', 'on', 'off', 'stop', 'go']);
    for (const word of Object.values(HOMOPHONES).flat()) {
      expect(similar, word).to.not.include(word);
      expect(common, word).to.not.include(word);
    }
    expect(similar).to.include.members(['now', 'light', 'stopper']);
  });

  it('keeps homophones out of the sound-alike table itself', () => {
    const homophones = new Set(Object.values(HOMOPHONES).flat());
    for (const [keyword, words] of Object.entries(SOUND_ALIKES)) {
      expect(
        words.filter((w) => homophones.has(w)),
        keyword,
      ).to.deep.equal([]);
    }
  });
});
