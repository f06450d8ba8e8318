/**
 * Legendre Memory Unit math: pure float64 functions, no tfjs.
 *
 * The LMU memory is the linear time-invariant system θ·ṁ(t) = A·m(t) + B·u(t) (Voelker, Kajić &
 * Eliasmith 2019; A and B: continuousLmu), whose state m(t) holds the coefficients of the
 * shifted Legendre expansion of the input's last θ steps. Everything here uses column vectors
 * and row-major storage: `A[i * order + j]` is A[i][j], and the discrete update is
 * `m[t] = Ā·m[t−1] + B̄·u[t]` (lmuMatrices).
 */
import { ConfigError } from '../errors';

export type Discretizer = 'zoh' | 'euler';

/** Discrete LMU system: Ā row-major order×order, B̄ length order. */
export interface LmuMatrices {
  A: Float64Array;
  B: Float64Array;
}

/** Largest order accepted; ZOH costs O(order³) and the paper's useful range ends far below. */
export const MAX_ORDER = 1024;

/** Throws ConfigError unless `order` is an integer in 1…MAX_ORDER. */
export function checkOrder(order: number): void {
  if (typeof order !== 'number' || !Number.isInteger(order) || order < 1 || order > MAX_ORDER) {
    throw new ConfigError(`LMU order must be an integer from 1 to ${MAX_ORDER} (got ${order})`);
  }
}

/** Throws ConfigError unless `theta` is a finite number > 0 (window length in steps). */
export function checkTheta(theta: number): void {
  if (typeof theta !== 'number' || !Number.isFinite(theta) || theta <= 0) {
    throw new ConfigError(`LMU theta must be a finite number of steps > 0 (got ${theta})`);
  }
}

/** Throws ConfigError unless `discretizer` is 'zoh' or 'euler'. */
export function checkDiscretizer(discretizer: string): asserts discretizer is Discretizer {
  if (discretizer !== 'zoh' && discretizer !== 'euler') {
    throw new ConfigError(`LMU discretizer must be 'zoh' or 'euler' (got '${discretizer}')`);
  }
}

/**
 * Continuous-time system (before dividing by θ), i, j = 0 … order−1:
 *     A[i][j] = (2i+1) · (−1 if i < j else (−1)^(i−j+1))
 *     B[i]    = (2i+1) · (−1)^i
 */
export function continuousLmu(order: number): LmuMatrices {
  checkOrder(order);
  const A = new Float64Array(order * order);
  const B = new Float64Array(order);
  for (let i = 0; i < order; i++) {
    const r = 2 * i + 1;
    B[i] = i % 2 === 0 ? r : -r;
    for (let j = 0; j < order; j++) {
      A[i * order + j] = i < j ? -r : (i - j + 1) % 2 === 0 ? r : -r;
    }
  }
  return { A, B };
}

/**
 * Discrete LMU matrices for a step of dt = 1 with window θ (in steps).
 *
 * - `zoh` (exact zero-order hold, keras-lmu's default):
 *       expm([[A/θ, B/θ], [0, 0]]) = [[Ā, B̄], [0, 1]]
 *   computed by scaling-and-squaring with a degree-13 Padé approximant (Higham 2005).
 * - `euler`: Ā = I + A/θ, B̄ = B/θ; stable only for θ above a bound that grows faster than
 *   keras-lmu's θ > 4·order advice (order 64 needs θ > 639; see LmuOptions.discretizer).
 *
 * Returns Ā row-major (order×order) and B̄ (order), float64.
 */
export function lmuMatrices(order: number, theta: number, discretizer: Discretizer = 'zoh'): LmuMatrices {
  checkOrder(order);
  checkTheta(theta);
  checkDiscretizer(discretizer);
  const { A: Ac, B: Bc } = continuousLmu(order);
  if (discretizer === 'euler') {
    const A = new Float64Array(order * order);
    const B = new Float64Array(order);
    for (let i = 0; i < order; i++) {
      B[i] = Bc[i] / theta;
      for (let j = 0; j < order; j++) A[i * order + j] = (i === j ? 1 : 0) + Ac[i * order + j] / theta;
    }
    return { A, B };
  }
  const n = order + 1;
  const M = new Float64Array(n * n); // augmented [[A/θ, B/θ], [0, 0]]
  for (let i = 0; i < order; i++) {
    for (let j = 0; j < order; j++) M[i * n + j] = Ac[i * order + j] / theta;
    M[i * n + order] = Bc[i] / theta;
  }
  const E = expm(M, n);
  const A = new Float64Array(order * order);
  const B = new Float64Array(order);
  for (let i = 0; i < order; i++) {
    for (let j = 0; j < order; j++) A[i * order + j] = E[i * n + j];
    B[i] = E[i * n + order];
  }
  return { A, B };
}

/**
 * Read-out weights for a delay inside the window: w·m[t] ≈ u[t − delayFraction·θ].
 * w[i] = P_i(2·delayFraction − 1) with P_i the Legendre polynomial of degree i
 * (Bonnet: (i+1)·P_{i+1}(x) = (2i+1)·x·P_i(x) − i·P_{i−1}(x)); so delayFraction = 1 gives
 * all ones and delayFraction = 0 gives (−1)^i.
 */
export function legendreDecoder(order: number, delayFraction: number): Float64Array {
  checkOrder(order);
  if (typeof delayFraction !== 'number' || !(delayFraction >= 0 && delayFraction <= 1)) {
    throw new ConfigError(`LMU delayFraction must be in [0, 1] (got ${delayFraction})`);
  }
  const x = 2 * delayFraction - 1;
  const w = new Float64Array(order);
  w[0] = 1;
  if (order > 1) w[1] = x;
  for (let i = 1; i + 1 < order; i++) w[i + 1] = ((2 * i + 1) * x * w[i] - i * w[i - 1]) / (i + 1);
  return w;
}

/**
 * Impulse response of the discrete memory, H[t] = Ā^t·B̄ for t = 0 … steps−1, row-major
 * steps×order. Without feedback into the memory, m[t] = Σ_{s≤t} H[t−s]·u[s] (the LMU's
 * parallel form, Chilkuri & Eliasmith 2021).
 */
export function impulseResponse({ A, B }: LmuMatrices, steps: number): Float64Array {
  const order = B.length;
  if (!Number.isInteger(steps) || steps < 0) throw new ConfigError(`impulse response steps must be an integer ≥ 0 (got ${steps})`);
  const H = new Float64Array(steps * order);
  if (steps === 0) return H;
  H.set(B, 0);
  for (let t = 1; t < steps; t++) {
    const prev = (t - 1) * order;
    const cur = t * order;
    for (let i = 0; i < order; i++) {
      let s = 0;
      const row = i * order;
      for (let j = 0; j < order; j++) s += A[row + j] * H[prev + j];
      H[cur + i] = s;
    }
  }
  return H;
}

// ---- dense float64 linear algebra for expm (row-major n×n) ----

/**
 * C = X·Y for n×n matrices. Dot products against Yᵀ, two rows × two columns at a time, so the
 * inner loop reads contiguous memory and keeps four sums in registers (~3× the naive loop).
 */
export function matMul(X: Float64Array, Y: Float64Array, n: number): Float64Array {
  const Yt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) Yt[j * n + i] = Y[i * n + j];
  const C = new Float64Array(n * n);
  for (let i = 0; i < n; i += 2) {
    const x0 = i * n;
    const x1 = (i + 1 < n ? i + 1 : i) * n; // odd n: the last row is computed twice
    for (let j = 0; j < n; j += 2) {
      const j1 = j + 1 < n ? j + 1 : j;
      const y0 = j * n;
      const y1 = j1 * n;
      let c00 = 0,
        c01 = 0,
        c10 = 0,
        c11 = 0;
      for (let k = 0; k < n; k++) {
        const p = X[x0 + k];
        const q = X[x1 + k];
        const r = Yt[y0 + k];
        const s = Yt[y1 + k];
        c00 += p * r;
        c01 += p * s;
        c10 += q * r;
        c11 += q * s;
      }
      C[x0 + j] = c00;
      C[x0 + j1] = c01;
      C[x1 + j] = c10;
      C[x1 + j1] = c11;
    }
  }
  return C;
}

/** Induced 1-norm: max column sum of |X|. */
export function norm1(X: Float64Array, n: number): number {
  let best = 0;
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.abs(X[i * n + j]);
    if (s > best) best = s;
  }
  return best;
}

/** Solves P·X = Q (n×n each) by LU with partial pivoting; P and Q are overwritten. */
function solveInPlace(P: Float64Array, Q: Float64Array, n: number): Float64Array {
  for (let k = 0; k < n; k++) {
    let piv = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(P[i * n + k]) > Math.abs(P[piv * n + k])) piv = i;
    if (P[piv * n + k] === 0) throw new Error('expm: singular Padé denominator');
    if (piv !== k) {
      for (let j = 0; j < n; j++) {
        let t = P[k * n + j];
        P[k * n + j] = P[piv * n + j];
        P[piv * n + j] = t;
        t = Q[k * n + j];
        Q[k * n + j] = Q[piv * n + j];
        Q[piv * n + j] = t;
      }
    }
    const d = P[k * n + k];
    for (let i = k + 1; i < n; i++) {
      const f = P[i * n + k] / d;
      if (f === 0) continue;
      for (let j = k + 1; j < n; j++) P[i * n + j] -= f * P[k * n + j];
      for (let j = 0; j < n; j++) Q[i * n + j] -= f * Q[k * n + j];
    }
  }
  // back substitution row by row, so the inner loop runs along contiguous rows of Q
  for (let k = n - 1; k >= 0; k--) {
    const qk = k * n;
    for (let i = k + 1; i < n; i++) {
      const f = P[qk + i];
      if (f === 0) continue;
      const qi = i * n;
      for (let j = 0; j < n; j++) Q[qk + j] -= f * Q[qi + j];
    }
    const d = P[qk + k];
    for (let j = 0; j < n; j++) Q[qk + j] /= d;
  }
  return Q;
}

const PADE13 = [
  64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800, 129060195264000, 10559470521600, 670442572800, 33522128640,
  1323241920, 40840800, 960960, 16380, 182, 1,
];
/** Largest 1-norm for which the degree-13 Padé approximant is accurate to float64 (Higham 2005). */
const THETA13 = 5.371920351148152;

/**
 * Matrix exponential e^X (n×n, row-major) by scaling and squaring:
 * e^X = (r13(X/2^s))^(2^s), r13 = V⁻¹·... with U, V the odd/even parts of the Padé numerator,
 * r13(Y) = (V − U)⁻¹(V + U), and s = max(0, ⌈log2(‖X‖₁/θ13)⌉).
 */
export function expm(X: Float64Array, n: number): Float64Array {
  const nrm = norm1(X, n);
  const s = nrm > THETA13 ? Math.ceil(Math.log2(nrm / THETA13)) : 0;
  const scale = 2 ** -s;
  const Y = X.map((v) => v * scale);
  const Y2 = matMul(Y, Y, n);
  const Y4 = matMul(Y2, Y2, n);
  const Y6 = matMul(Y4, Y2, n);
  const b = PADE13;
  const inner = (c6: number, c4: number, c2: number) => {
    const T = new Float64Array(n * n);
    for (let k = 0; k < n * n; k++) T[k] = c6 * Y6[k] + c4 * Y4[k] + c2 * Y2[k];
    return matMul(Y6, T, n);
  };
  const U0 = inner(b[13], b[11], b[9]);
  const V = inner(b[12], b[10], b[8]);
  for (let k = 0; k < n * n; k++) {
    U0[k] += b[7] * Y6[k] + b[5] * Y4[k] + b[3] * Y2[k];
    V[k] += b[6] * Y6[k] + b[4] * Y4[k] + b[2] * Y2[k];
  }
  for (let i = 0; i < n; i++) {
    U0[i * n + i] += b[1];
    V[i * n + i] += b[0];
  }
  const U = matMul(Y, U0, n);
  const P = new Float64Array(n * n);
  const Q = new Float64Array(n * n);
  for (let k = 0; k < n * n; k++) {
    P[k] = V[k] - U[k];
    Q[k] = V[k] + U[k];
  }
  let R = solveInPlace(P, Q, n);
  for (let i = 0; i < s; i++) R = matMul(R, R, n);
  return R;
}
