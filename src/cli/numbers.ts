/** Commander option parsers that turn a bad number into one clear line. */
import { InvalidArgumentError } from 'commander';
import { ConfigError } from '../errors';

export function integer(min = 0): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer ≥ ${min}, got '${value}'`);
    return n;
  };
}

export function decimal(min = 0, max = Infinity): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || n > max) throw new InvalidArgumentError(`expected a number in [${min}, ${max}], got '${value}'`);
    return n;
  };
}

export function list(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Collects a repeatable option's values (`--data a --data b`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * An option's text as a number, checked inside the action: a ConfigError is one `kws: …` line,
 * where commander's own parser errors come with the whole usage text.
 */
export function numberOption(flag: string, text: string, opts: { min?: number; whole?: boolean; unit?: string } = {}): number {
  const n = Number(text);
  const min = opts.min ?? 0;
  if (text.trim() === '' || !Number.isFinite(n) || n < min || (opts.whole && !Number.isInteger(n))) {
    const what = `${opts.whole ? 'a whole number' : 'a number'}${opts.unit ? ` of ${opts.unit}` : ''}`;
    throw new ConfigError(`${flag} must be ${what} ≥ ${min}, got "${text}"`);
  }
  return n;
}
