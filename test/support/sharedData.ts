/**
 * Tests that read real recordings from the data folder (src/data/dataRoot.ts) go through here,
 * so a clone without the data reports them pending, with what is missing and how to provide it
 * on the test's own line — never failing, never skipped without a word.
 */
import { existsSync } from 'fs';
import { DATA_ROOT_ENV, dataPath } from '../../src/data/dataRoot';

/** Every test of a suite and of its sub-suites. */
function allTests(suite: Mocha.Suite): Mocha.Test[] {
  return [...suite.tests, ...suite.suites.flatMap(allTests)];
}

/** Why a test is pending when `dir` is missing. */
export function missingDataReason(dir: string): string {
  return `pending: needs ${dir} (set ${DATA_ROOT_ENV} to the data folder; see README, Setup)`;
}

/**
 * The path `parts` inside the data folder. Call it with `this` of a test (`it('…', function () {…})`)
 * or of a describe's `before` hook (then every test of that describe is concerned). When the path
 * does not exist, the test(s) get the reason appended to their title and become pending.
 */
export function sharedData(ctx: Mocha.Context, ...parts: string[]): string {
  const dir = dataPath(...parts);
  if (existsSync(dir)) return dir;
  return pendingBecause(ctx, missingDataReason(dir));
}

/**
 * Makes the test of `ctx` pending (every test of its describe, from a `before` hook) with
 * `reason` appended to its title, so the report says why; for any missing prerequisite.
 */
export function pendingBecause(ctx: Mocha.Context, reason: string): never {
  const runnable = ctx.test as Mocha.Test | Mocha.Hook;
  const concerned = runnable.type === 'hook' ? allTests(runnable.parent!) : [runnable];
  for (const t of concerned) t.title += ` — ${reason}`;
  return ctx.skip();
}
