/**
 * Run by test/sharedData.test.ts in a mocha of its own (the name keeps it out of `npm test`):
 * one test and one describe that need folders of the data folder, and one test that does not.
 */
import { expect } from 'chai';
import { existsSync } from 'fs';
import { sharedData } from './sharedData';

describe('a test that needs data', () => {
  it('reads probe/a', function () {
    expect(existsSync(sharedData(this, 'probe', 'a'))).to.equal(true);
  });
  it('needs nothing', () => {});
});

describe('a describe that needs data', function () {
  let dir = '';
  before(function () {
    dir = sharedData(this, 'probe', 'b');
  });
  it('first', () => expect(existsSync(dir)).to.equal(true));
  describe('inner', () => {
    it('second', () => expect(existsSync(dir)).to.equal(true));
  });
});
