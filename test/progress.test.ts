/** Progress in logs (stderr not a terminal): a line when a step starts, then one per interval, then its end. */
import { expect } from 'chai';
import { formatAmount, progressPrinter } from '../src/cli/progress';

function printer(clock: { t: number }) {
  const lines: string[] = [];
  const p = progressPrinter({
    stream: { isTTY: false, write: (s: string) => lines.push(s.replace(/\n$/, '')) > 0 },
    now: () => clock.t,
    lineEverySec: 10,
  });
  return { p, lines };
}

describe('progress lines (non-TTY)', () => {
  it('a long step: start line, one line per 10 s with the time left, a closing line', () => {
    const clock = { t: 0 };
    const { p, lines } = printer(clock);
    const step = { name: 'thresholds: validation stream', unit: 'h' };
    for (let done = 0; done <= 10; done += 0.1) {
      p.onProgress(step, Math.min(10, Number(done.toFixed(1))), 10);
      clock.t += 1000; // one simulated second per 0.1 h
    }
    p.onProgress(step, 10, 10); // a repeated "done" is not a new step
    expect(lines[0]).to.equal('thresholds: validation stream: 0 of 10 h');
    expect(lines[1]).to.equal('thresholds: validation stream: 1 of 10 h (10 s, about 1 min 30 s left)');
    expect(lines.filter((l) => / of 10 h \(\d/.test(l))).to.have.length(9); // every 10 s until done
    expect(lines[lines.length - 1]).to.match(/^thresholds: validation stream: 10 of 10 h \(done in 1 min 40 s\)$/);
  });

  it('a short step prints only its start; a new step starts its own lines; log() lines pass through; quiet prints nothing', () => {
    const clock = { t: 0 };
    const { p, lines } = printer(clock);
    p.onProgress({ name: 'reading clips', unit: 'clips' }, 1, 60);
    p.onProgress({ name: 'reading clips', unit: 'clips' }, 60, 60);
    p.log('data: yes, no');
    p.onProgress({ name: 'epoch 1/2', unit: '%' }, 12.5, 100);
    expect(lines).to.deep.equal(['reading clips: 1 of 60 clips', 'data: yes, no', 'epoch 1/2: 13 %']);
    const silent: string[] = [];
    const q = progressPrinter({ quiet: true, stream: { isTTY: false, write: (s: string) => silent.push(s) > 0 } });
    q.onProgress({ name: 'x', unit: 'h' }, 0, 1);
    q.log('y');
    expect(silent).to.deep.equal([]);
  });

  it('amounts: whole numbers as they are, two significant digits below 10', () => {
    expect([formatAmount(10), formatAmount(3.2123), formatAmount(0.0512), formatAmount(12.345)]).to.deep.equal([
      '10',
      '3.2',
      '0.051',
      '12.3',
    ]);
  });
});
