/** Commander option parsers that turn a bad number into one clear line. */
import { InvalidArgumentError } from 'commander';

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
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}

/** Collects a repeatable option's values (`--data a --data b`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
