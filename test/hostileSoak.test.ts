/**
 * Long runs, short form (npm run soak is the 10-hour form): 30 simulated minutes of background
 * through KeywordSpotter.detect — flat memory, no event on the background, and a trigger at the
 * end whose event lands on exactly the frame a short reference run predicts (integer counters,
 * no drift).
 */
import { expect } from 'chai';
import { runSoak } from './support/soak';

describe('hostile input: long run (30 simulated minutes)', function () {
  this.timeout(120000);

  it('memory stays flat, no spurious events, the trigger event is exact to the frame', async () => {
    const r = await runSoak(30 * 60, 5 * 60);
    expect(r.simulatedSec).to.be.at.least(30 * 60);
    expect(r.reports.length).to.be.at.least(7);
    expect(r.heapGrowthMB, JSON.stringify(r.reports)).to.be.below(5);
    expect(r.rssGrowthMB, JSON.stringify(r.reports)).to.be.below(5);
    expect(r.spurious).to.deep.equal([]);
    expect(r.triggerEvent, 'the trigger fires').to.not.equal(null);
    expect(r.triggerEvent!.start).to.equal(r.expectedStart);
    expect(r.triggerEvent!.end).to.equal(r.expectedEnd);
    expect(r.expectedStart).to.be.within(30 * 60, 30 * 60 + 1);
  });
});
