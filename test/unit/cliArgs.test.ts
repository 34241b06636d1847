import * as assert from 'node:assert/strict';
import { optionsHelp, parseArgs, UsageError, type OptionSpec } from '../../server/src/cliArgs';

const specs: OptionSpec[] = [
  { name: '--format', value: '<f>', choices: ['text', 'json'], help: 'text or json.' },
  { name: '--json', help: 'The same as --format json.' },
  { name: '--bibliography', value: '<glob>', repeatable: true, help: 'Also these files\n(may be repeated).' },
];

const parse = (...args: string[]) => {
  const p = parseArgs(args, specs);
  return { values: Object.fromEntries(p.values), positionals: p.positionals, help: p.help };
};
const usageError = (args: string[], message: string) => assert.throws(() => parseArgs(args, specs), (e: unknown) => e instanceof UsageError && e.message === message);

describe('the command line argument parser', () => {
  it('takes a value after the option or after =, and keeps positionals in order', () => {
    assert.deepEqual(parse('a', '--format', 'json', 'b', '--bibliography=x.bib', '--bibliography', 'y.bib', '--json'), {
      values: { '--format': ['json'], '--bibliography': ['x.bib', 'y.bib'], '--json': [''] },
      positionals: ['a', 'b'],
      help: false,
    });
  });

  it('keeps the last value of an option that is not repeatable', () => {
    assert.deepEqual(parse('--format', 'json', '--format=text').values, { '--format': ['text'] });
  });

  it('ends the options at --, after which everything is positional', () => {
    assert.deepEqual(parse('--json', '--', '--format', '-h', 'x').positionals, ['--format', '-h', 'x']);
    assert.equal(parse('--', '--help').help, false);
  });

  it('answers -h or --help anywhere before --, even beside an unknown option', () => {
    assert.equal(parse('x', '--help').help, true);
    assert.equal(parse('--bogus', '-h').help, true);
  });

  it('rejects an unknown option, long or short, with or without a value', () => {
    usageError(['--bogus'], "unknown option '--bogus'");
    usageError(['--bogus=1'], "unknown option '--bogus'");
    usageError(['-x'], "unknown option '-x'");
  });

  it('rejects a missing value, an empty one, and an option where the value should be', () => {
    usageError(['--bibliography'], '--bibliography needs a value: --bibliography <glob>');
    usageError(['--bibliography='], '--bibliography needs a value: --bibliography <glob>');
    usageError(['--bibliography', '--json'], '--bibliography needs a value: --bibliography <glob>');
    assert.deepEqual(parse('--bibliography=-odd.bib').values, { '--bibliography': ['-odd.bib'] });
  });

  it('rejects a value outside the choices, and a value given to a flag', () => {
    usageError(['--format', 'xml'], "--format must be one of text, json, not 'xml'");
    usageError(['--json=yes'], '--json takes no value');
  });

  it('takes a lone - as a positional', () => {
    assert.deepEqual(parse('-').positionals, ['-']);
  });

  it('writes the options part of the help from the same specs, aligned', () => {
    assert.equal(
      optionsHelp(specs),
      [
        '  --format <f>           text or json.',
        '  --json                 The same as --format json.',
        '  --bibliography <glob>  Also these files',
        '                         (may be repeated).',
        '  -h, --help             Print this help.',
      ].join('\n'),
    );
  });
});
