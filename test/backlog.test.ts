/** The microphone's bounded backlog (src/audio/backlog.ts), driven byte by byte: no recorder, no clock. */
import { expect } from 'chai';
import { Backlog } from '../src/audio/backlog';

/** Bytes 0, 1, 2 … (mod 256) from `from`, so what was dropped is visible in what is left. */
const bytes = (from: number, n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (from + i) % 256));

describe('Backlog: a bounded queue of recorder output', () => {
  it('holds everything up to its bound, and hands it over oldest first', () => {
    const b = new Backlog(100, () => expect.fail('no overflow'));
    b.push(bytes(0, 40));
    b.push(bytes(40, 60));
    expect(b.size).to.equal(100);
    expect([...b.take()!]).to.deep.equal([...bytes(0, 100)]);
    expect(b.size).to.equal(0);
  });

  it('beyond the bound drops the oldest bytes, an even number (never half an s16 sample)', () => {
    const b = new Backlog(100, () => {});
    b.push(bytes(0, 70));
    b.push(bytes(70, 35)); // 105 bytes: 5 over, so 6 go
    expect(b.size).to.equal(99);
    expect([...b.take()!]).to.deep.equal([...bytes(6, 99)]);
  });

  it('warns once per burst: not again while the consumer is behind, again after it caught up', () => {
    let warnings = 0;
    const b = new Backlog(100, () => warnings++);
    for (let i = 0; i < 5; i++) b.push(bytes(0, 60)); // the consumer is away: one burst
    expect(warnings).to.equal(1);
    expect(b.size).to.equal(100);
    expect(b.take()!.length).to.equal(100);
    b.push(bytes(0, 60));
    b.push(bytes(0, 60)); // still behind: it has not yet asked and found nothing
    expect(warnings).to.equal(1);
    b.take();
    expect(b.take()).to.equal(null); // caught up: waits for audio
    b.push(bytes(0, 80));
    expect(warnings).to.equal(1);
    b.push(bytes(0, 80)); // a new burst
    expect(warnings).to.equal(2);
  });

  it('refuses a bound that is odd or under one sample', () => {
    expect(() => new Backlog(101, () => {})).to.throw(/maxBytes must be even/);
    expect(() => new Backlog(0, () => {})).to.throw(/maxBytes must be even/);
  });
});
