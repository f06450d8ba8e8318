import { expect } from 'chai';
import { KwsError } from '../src/errors';
import { markedSection, replaceMarkedSection, withKeptSections } from '../src/markdownSection';

describe('markdownSection: a generated section of a hand-kept file', () => {
  const file = [
    '# Benchmarks',
    '',
    'kept line',
    '',
    '<!-- begin rivals (generated) -->',
    'old table',
    '<!-- end rivals -->',
    '',
    'after',
  ].join('\n');

  it('replaces only its section, markers and every other line kept as they were', () => {
    const out = replaceMarkedSection(file, 'rivals', '| new | table |\n', '(generated)');
    expect(out).to.equal(
      [
        '# Benchmarks',
        '',
        'kept line',
        '',
        '<!-- begin rivals (generated) -->',
        '| new | table |',
        '<!-- end rivals -->',
        '',
        'after',
      ].join('\n'),
    );
    expect(markedSection(out, 'rivals')).to.equal('<!-- begin rivals (generated) -->\n| new | table |\n<!-- end rivals -->');
    expect(replaceMarkedSection(out, 'rivals', 'old table', '(generated)')).to.equal(file);
  });

  it('appends the section after a blank line when the file has none, and finds none there', () => {
    expect(markedSection('# Benchmarks\n', 'rivals')).to.equal(undefined);
    expect(replaceMarkedSection('# Benchmarks\n\n', 'rivals', 'table')).to.equal(
      '# Benchmarks\n\n<!-- begin rivals -->\ntable\n<!-- end rivals -->\n',
    );
    expect(replaceMarkedSection('', 'rivals', 'table')).to.equal('<!-- begin rivals -->\ntable\n<!-- end rivals -->\n');
  });

  it('leaves sections of other names alone and refuses a broken one with one line naming the file', () => {
    const other = file.replace(/rivals/g, 'other');
    expect(replaceMarkedSection(other, 'rivals', 'x').startsWith(other)).to.equal(true);
    const broken = file.replace('<!-- end rivals -->', '');
    expect(() => replaceMarkedSection(broken, 'rivals', 'x', '', 'BENCHMARKS.md')).to.throw(
      KwsError,
      /^BENCHMARKS\.md: section 'rivals' needs one/,
    );
    expect(() => markedSection(`${file}\n${file}`, 'rivals')).to.throw(KwsError);
  });

  it('a file written anew keeps the named sections of its old text, in the order named, and nothing else of it', () => {
    const old = replaceMarkedSection(file, 'int8', 'q table');
    expect(withKeptSections('# New\n\nbody\n\n', old, ['int8', 'rivals', 'absent'])).to.equal(
      [
        '# New',
        '',
        'body',
        '',
        '<!-- begin int8 -->',
        'q table',
        '<!-- end int8 -->',
        '',
        '<!-- begin rivals (generated) -->',
        'old table',
        '<!-- end rivals -->',
        '',
      ].join('\n'),
    );
    expect(withKeptSections('# New\nbody', '', ['int8'])).to.equal('# New\nbody\n');
  });
});
