/**
 * BENCHMARKS.md: `npm run bench` writes all of it but the sections other commands generate
 * (src/markdownSection.ts), which it keeps as they are; `npm run rivals` and `npm run int8` write those.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { replaceMarkedSection, withKeptSections } from '../src/markdownSection';
import { INT8_SECTION } from '../src/cards/quantizationCard';

export const BENCHMARKS_FILE = path.resolve(__dirname, '..', 'BENCHMARKS.md');
/** The section `npm run rivals` owns. */
export const RIVALS_SECTION = 'rivals';
/** The section `npm run int8` owns (bench/int8.ts); the float32 model cards have one of the same name. */
export { INT8_SECTION };
const GENERATED_SECTIONS = [RIVALS_SECTION, INT8_SECTION];

const read = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');

/** Writes `lines` as the whole file, followed by the generated sections it held before. */
export function writeBenchmarks(lines: readonly string[], file = BENCHMARKS_FILE): void {
  fs.writeFileSync(file, withKeptSections(lines.join('\n'), read(file), GENERATED_SECTIONS, file));
}

/** Rewrites one generated section of the file, leaving the rest as it was. */
export function writeSection(name: string, body: string, note: string, file = BENCHMARKS_FILE): void {
  fs.writeFileSync(file, replaceMarkedSection(read(file), name, body, note, file));
}

/** The machine and its load, as every generated table states them (other work inflates p99s). */
export function machineLines(): string[] {
  const cpus = os.cpus();
  const f = (x: number, digits: number) => x.toFixed(digits);
  return [
    `- Machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${f(os.totalmem() / 2 ** 30, 1)} GiB RAM, ${os.platform()} ${os.arch()}`,
    `- Node ${process.version}; single thread (everything below runs on one core)`,
    `- Load average when the run started: ${os
      .loadavg()
      .map((l) => f(l, 2))
      .join(', ')} (other work on the machine inflates p99s)`,
  ];
}
