import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError } from '../src/errors';
import { continuousLmu, impulseResponse, legendreDecoder, lmuMatrices, matMul, norm1, Discretizer } from '../src/lmu/matrices';

interface FullRef {
  order: number;
  theta: number;
  discretizer: Discretizer;
  A: number[];
  B: number[];
}
interface SummaryRef {
  order: number;
  theta: number;
  B: number[];
  diag: number[];
  firstRow: number[];
  lastRow: number[];
  frobenius: number;
  spectralRadius: number;
}
const ref = JSON.parse(fs.readFileSync(path.join(__dirname, 'reference/lmu_reference.json'), 'utf8')) as {
  full: FullRef[];
  summary: SummaryRef[];
};

/** |a − b| ≤ atol + rtol·|b| elementwise. */
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, atol = 1e-10, rtol = 1e-8) {
  expect(actual.length, what).to.equal(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const ok = Math.abs(actual[i] - expected[i]) <= atol + rtol * Math.abs(expected[i]);
    if (!ok) expect.fail(`${what}[${i}]: ${actual[i]} vs reference ${expected[i]}`);
  }
}

/** Upper bound on the spectral radius: ρ(A) ≤ ‖A^(2^k)‖₁^(1/2^k), squaring until the norm is < 1. */
function spectralRadiusBound(A: Float64Array, n: number): number {
  let P = A;
  for (let k = 0; k <= 40; k++) {
    const nrm = norm1(P, n);
    if (nrm < 1 || k === 40) return nrm ** (1 / 2 ** k);
    P = matMul(P, P, n);
  }
  return Infinity;
}

describe('lmu/matrices', function () {
  this.timeout(60000);

  it('matches the check values in reference/lmu.md (order 4, θ = 10, zoh)', () => {
    const { A, B } = lmuMatrices(4, 10);
    expectClose(B, [0.105775, -0.250976, 0.397881, -0.278532], 'B', 1e-6, 0);
    expect(A[0]).to.be.closeTo(0.894225, 1e-6);
  });

  it('continuous A and B follow the closed form', () => {
    const { A, B } = continuousLmu(3);
    expect(Array.from(A)).to.deep.equal([-1, -1, -1, 3, -3, -3, -5, 5, -5]);
    expect(Array.from(B)).to.deep.equal([1, -3, 5]);
  });

  it('equals scipy cont2discrete for every small system in the fixture (zoh and euler)', () => {
    expect(ref.full.length).to.be.greaterThan(50);
    for (const r of ref.full) {
      const { A, B } = lmuMatrices(r.order, r.theta, r.discretizer);
      const tag = `order ${r.order} θ ${r.theta} ${r.discretizer}`;
      expectClose(A, r.A, `${tag} A`);
      expectClose(B, r.B, `${tag} B`);
    }
  });

  it('equals scipy for large systems up to order 512, θ 1 … 10000', () => {
    for (const r of ref.summary) {
      const { A, B } = lmuMatrices(r.order, r.theta);
      const n = r.order;
      const tag = `order ${n} θ ${r.theta}`;
      expect(A.some(Number.isNaN) || B.some(Number.isNaN), tag).to.equal(false);
      expectClose(B, r.B, `${tag} B`, 1e-9, 1e-7);
      expectClose(
        Array.from({ length: n }, (_, i) => A[i * n + i]),
        r.diag,
        `${tag} diag`,
        1e-9,
        1e-7,
      );
      expectClose(A.subarray(0, n), r.firstRow, `${tag} first row`, 1e-9, 1e-7);
      expectClose(A.subarray((n - 1) * n), r.lastRow, `${tag} last row`, 1e-9, 1e-7);
      expect(Math.sqrt(A.reduce((a, v) => a + v * v, 0)), `${tag} ‖A‖F`).to.be.closeTo(r.frobenius, 1e-7 * r.frobenius);
    }
  });

  it('zoh stays stable: spectral radius < 1 (order 1 … 128, θ 1 … 10000)', () => {
    for (const order of [1, 7, 64, 128]) {
      for (const theta of [1, 3.5, 100, 10000]) {
        const { A } = lmuMatrices(order, theta);
        const rho = spectralRadiusBound(A, order);
        expect(rho, `order ${order} θ ${theta}`).to.be.lessThan(1);
        const scipyRho = ref.summary.find((r) => r.order === order && r.theta === theta)?.spectralRadius;
        if (scipyRho !== undefined) expect(scipyRho).to.be.lessThan(1);
      }
    }
  });

  it('zoh equals the truncated exponential series Σ M^k/k! of the augmented matrix', () => {
    for (const [order, theta] of [
      [4, 10],
      [16, 100],
      [6, 3],
    ]) {
      const n = order + 1;
      const { A: Ac, B: Bc } = continuousLmu(order);
      const M = new Float64Array(n * n);
      for (let i = 0; i < order; i++) {
        for (let j = 0; j < order; j++) M[i * n + j] = Ac[i * order + j] / theta;
        M[i * n + order] = Bc[i] / theta;
      }
      const S = new Float64Array(n * n);
      let term = new Float64Array(n * n);
      for (let i = 0; i < n; i++) term[i * n + i] = 1;
      for (let k = 1; k < 80; k++) {
        for (let e = 0; e < n * n; e++) S[e] += term[e];
        term = matMul(term, M, n).map((v) => v / k);
      }
      const { A, B } = lmuMatrices(order, theta);
      expectClose(
        A,
        Array.from({ length: order * order }, (_, e) => S[Math.floor(e / order) * n + (e % order)]),
        `series A ${order}`,
        1e-11,
        1e-9,
      );
      expectClose(
        B,
        Array.from({ length: order }, (_, i) => S[i * n + order]),
        `series B ${order}`,
        1e-11,
        1e-9,
      );
    }
  });

  it('impulse response H[t] = A^t B drives the same memory as the recurrence', () => {
    const sys = lmuMatrices(8, 20);
    const T = 60;
    const H = impulseResponse(sys, T);
    expectClose(H.subarray(0, 8), sys.B, 'H[0]');
    const u = Array.from({ length: T }, (_, t) => Math.sin(t / 3) + (t % 7) / 7);
    const m = new Float64Array(8);
    for (let t = 0; t < T; t++) {
      const next = new Float64Array(8);
      for (let i = 0; i < 8; i++) {
        next[i] = sys.B[i] * u[t];
        for (let j = 0; j < 8; j++) next[i] += sys.A[i * 8 + j] * m[j];
      }
      m.set(next);
    }
    const conv = new Float64Array(8);
    for (let s = 0; s < T; s++) for (let i = 0; i < 8; i++) conv[i] += H[(T - 1 - s) * 8 + i] * u[s];
    expectClose(conv, m, 'convolution vs recurrence', 1e-12, 1e-10);
  });

  describe('legendreDecoder', () => {
    it('weights are P_i(2r − 1): all ones at r = 1, (−1)^i at r = 0, P_2(0) = −1/2 at r = 1/2', () => {
      expect(Array.from(legendreDecoder(5, 1))).to.deep.equal([1, 1, 1, 1, 1]);
      expect(Array.from(legendreDecoder(5, 0))).to.deep.equal([1, -1, 1, -1, 1]);
      const w = legendreDecoder(4, 0.5);
      expect(w[1]).to.equal(0);
      expect(w[2]).to.be.closeTo(-0.5, 1e-15);
      expect(legendreDecoder(4, 0.75)[3]).to.be.closeTo((5 * 0.5 ** 3 - 3 * 0.5) / 2, 1e-15);
    });

    /**
     * Runs the zoh memory over u[0…T) and returns NRMSE of w·m[t] vs the delayed input
     * target(t) = u(t − delay) for t ≥ skip (target may interpolate fractional delays).
     */
    function decodeNrmse(
      u: Float64Array,
      target: (t: number) => number,
      order: number,
      theta: number,
      delaySteps: number,
      skip: number,
    ): number {
      const { A, B } = lmuMatrices(order, theta);
      const w = legendreDecoder(order, delaySteps / theta);
      let m = new Float64Array(order);
      let err = 0;
      let mean = 0;
      let count = 0;
      const wanted: number[] = [];
      for (let t = 0; t < u.length; t++) {
        const next = new Float64Array(order);
        for (let i = 0; i < order; i++) {
          let s = B[i] * u[t];
          for (let j = 0; j < order; j++) s += A[i * order + j] * m[j];
          next[i] = s;
        }
        m = next;
        if (t < skip) continue;
        let y = 0;
        for (let i = 0; i < order; i++) y += w[i] * m[i];
        const want = target(t);
        err += (y - want) ** 2;
        wanted.push(want);
        mean += want;
        count++;
      }
      mean /= count;
      const variance = wanted.reduce((a, v) => a + (v - mean) ** 2, 0);
      return Math.sqrt(err / variance);
    }

    it('decodes a sum of sines (periods 100–400) delayed by θ′ ∈ {0, θ/4, θ/2, θ}: NRMSE < 0.05', () => {
      const periods = [100, 157, 233, 400];
      const signal = (t: number) => periods.reduce((a, p, k) => a + Math.sin((2 * Math.PI * t) / p + k), 0);
      const u = Float64Array.from({ length: 1400 }, (_, t) => signal(t));
      const errs = [0, 12.5, 25, 50].map((delay) => decodeNrmse(u, (t) => signal(t - delay), 6, 50, delay, 200));
      for (const e of errs) expect(e, `NRMSE at θ′ = 0, θ/4, θ/2, θ: ${errs}`).to.be.lessThan(0.05);
      // a wrong read-out (the θ′ = θ weights used for θ′ = 0) must fail the same bound
      expect(decodeNrmse(u, (t) => signal(t), 6, 50, 50, 200)).to.be.greaterThan(0.5);
    });

    it('for broadband input the error falls as order rises 4 → 8 → 16 → 32', () => {
      let seed = 12345;
      const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
      const T = 1200;
      const u = new Float64Array(T);
      let lp = 0;
      for (let t = 0; t < T; t++) u[t] = lp = 0.7 * lp + 0.3 * rand(); // mildly low-passed noise
      const errs = [4, 8, 16, 32].map((order) => decodeNrmse(u, (t) => u[t - 20], order, 40, 20, 200));
      for (let k = 1; k < errs.length; k++) expect(errs[k], `order errors ${errs}`).to.be.lessThan(errs[k - 1]);
      expect(errs[3]).to.be.lessThan(0.5 * errs[0]);
    });
  });

  describe('bad options give ConfigError', () => {
    const cases: Array<[string, () => unknown, RegExp]> = [
      ['order 0', () => lmuMatrices(0, 10), /order must be an integer/],
      ['order 2.5', () => lmuMatrices(2.5, 10), /order must be an integer.*2\.5/],
      ['order NaN', () => lmuMatrices(NaN, 10), /order/],
      ['θ 0', () => lmuMatrices(4, 0), /theta must be .*> 0/],
      ['θ −3', () => lmuMatrices(4, -3), /theta/],
      ['θ NaN', () => lmuMatrices(4, NaN), /theta.*NaN/],
      ['θ ∞', () => lmuMatrices(4, Infinity), /theta/],
      ['discretizer', () => lmuMatrices(4, 10, 'rk4' as Discretizer), /discretizer must be 'zoh' or 'euler'/],
      ['decoder delay 1.5', () => legendreDecoder(4, 1.5), /delayFraction/],
      ['decoder delay NaN', () => legendreDecoder(4, NaN), /delayFraction/],
    ];
    for (const [name, fn, msg] of cases) {
      it(name, () => expect(fn).to.throw(ConfigError, msg));
    }
  });
});
