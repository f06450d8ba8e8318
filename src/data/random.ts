/**
 * A small seeded PRNG for reproducible data generation and augmentation.
 *
 * Generator: mulberry32 (32-bit state, period 2^32) — fast, good enough for noise and choices,
 * and identical on every platform because it only uses 32-bit integer arithmetic.
 * Streams are derived by key (`deriveSeed(seed, 'yes', 17)`), so each clip's randomness
 * depends only on (seed, key) and never on the order in which parallel jobs finish.
 */

/** FNV-1a hash of a string to an unsigned 32-bit integer. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A seed for the sub-stream named by `keys` under `seed`. */
export function deriveSeed(seed: number, ...keys: Array<string | number>): number {
  return hashString(`${seed >>> 0}|${keys.join('|')}`);
}

export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Integer uniform in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** Fisher–Yates shuffle of a copy. */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }
}

/** Shorthand: the generator for sub-stream `keys` of `seed`. */
export function rngFor(seed: number, ...keys: Array<string | number>): Rng {
  return new Rng(deriveSeed(seed, ...keys));
}
