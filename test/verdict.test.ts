/** The usability verdict: each rule on its own, and a model that passes them all. */
import { expect } from 'chai';
import { THRESHOLD_GRID } from '../src/eval/detection';
import { describeVerdict, usabilityVerdict, VerdictInput } from '../src/eval/verdict';

const good: VerdictInput = {
  split: 'validation',
  classes: 12,
  accuracy: 0.8,
  thresholds: { yes: 0.6, no: 0.7 },
  frr: 0.2,
  perKeyword: { yes: { frr: 0.1, inserted: 50 }, no: { frr: 0.3, inserted: 50 } },
  quietFiring: {},
};
const problems = (over: Partial<VerdictInput>) => usabilityVerdict({ ...good, ...over }).problems;

describe('usability verdict', () => {
  it('a model that passes every rule is usable', () => {
    const v = usabilityVerdict(good);
    expect(v).to.deep.equal({ split: 'validation', usable: true, problems: [] });
    expect(describeVerdict(v)).to.equal('model usable (validation): no problem found');
  });

  it('near-chance accuracy: below twice chance (1/classes)', () => {
    expect(problems({ accuracy: 0.13 })).to.have.length(1);
    expect(problems({ accuracy: 0.13 })[0]).to.match(/13\.0 % is near chance \(8\.3 % for 12 classes; needs at least 16\.7 %\)/);
    expect(problems({ accuracy: 0.17 })).to.deep.equal([]);
    expect(problems({ accuracy: 0.45, classes: 4 })).to.have.length(1); // chance 25 %: needs 50 %
  });

  it('a threshold at the bottom of the search range, or a keyword that can never fire', () => {
    expect(problems({ thresholds: { yes: THRESHOLD_GRID[0], no: 0.7 } })).to.deep.equal([
      `threshold at the bottom of the search range (${THRESHOLD_GRID[0]}) for yes: its posterior never rises`,
    ]);
    expect(problems({ thresholds: { yes: 0.6, no: 1 } })[0]).to.match(/^can never fire: no /);
    expect(problems({ perKeyword: { yes: { frr: 1, inserted: 40 }, no: { frr: 0.3, inserted: 50 } } })).to.deep.equal([
      'never fired on its own words on the validation stream (recall 0): yes',
    ]);
  });

  it('FRR of 50 % or more at the chosen thresholds', () => {
    expect(problems({ frr: 0.5 })).to.deep.equal([
      'false-reject rate 50.0 % at the chosen thresholds (misses 50 % or more of the keywords)',
    ]);
    expect(problems({ frr: 0.49 })).to.deep.equal([]);
  });

  it('fires on silence or low noise', () => {
    const v = usabilityVerdict({ ...good, quietFiring: { yes: ['digital silence'] } });
    expect(v.usable).to.equal(false);
    expect(describeVerdict(v)).to.equal('model NOT usable (validation): fires on silence or low noise: yes (digital silence)');
  });

  it("the issue's tiny model: 13 % accuracy, thresholds 0.05, FRR 100 % — every problem named", () => {
    const v = usabilityVerdict({
      ...good,
      accuracy: 0.13,
      thresholds: { yes: 0.05, no: 0.05 },
      frr: 1,
      perKeyword: { yes: { frr: 1, inserted: 20 }, no: { frr: 1, inserted: 20 } },
      quietFiring: { yes: ['digital silence'] },
    });
    expect(v.usable).to.equal(false);
    expect(v.problems).to.have.length(5);
  });
});
