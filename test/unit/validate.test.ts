import { DomainError } from '../../src/domain/errors';
import * as v from '../../src/domain/validate';
import { csvField } from '../../src/domain/import/csv';
import { neutraliseFormula } from '../../src/domain/text';

function failure(fn: () => unknown): { field?: string; message: string } {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return { field: error.field, message: error.message };
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('input validation messages name the field and the rule', () => {
  it.each<[string, () => unknown, string, string]>([
    [
      'SDG out of range',
      () => v.sdgList('input.sdgs', [3, 13, 18], { nonEmpty: true }),
      'input.sdgs[2]',
      'input.sdgs[2] must be between 1 and 17, got 18',
    ],
    [
      'SDG zero',
      () => v.sdgList('input.sdgs', [0], { nonEmpty: false }),
      'input.sdgs[0]',
      'input.sdgs[0] must be between 1 and 17, got 0',
    ],
    [
      'no SDG where one is required',
      () => v.sdgList('input.sdgs', [], { nonEmpty: true }),
      'input.sdgs',
      'input.sdgs must name at least one SDG (1 to 17)',
    ],
    ['empty name', () => v.requireText('input.name', '   ', 200), 'input.name', 'input.name must not be empty'],
    [
      'long name',
      () => v.requireText('input.name', 'x'.repeat(201), 200),
      'input.name',
      'input.name must be at most 200 characters, got 201',
    ],
    [
      'latitude',
      () => v.geoPoint('input.location', { latitude: 91, longitude: 0 }),
      'input.location.latitude',
      'input.location.latitude must be between -90 and 90, got 91',
    ],
    [
      'longitude',
      () => v.geoPoint('input.location', { latitude: 0, longitude: -181 }),
      'input.location.longitude',
      'input.location.longitude must be between -180 and 180, got -181',
    ],
    [
      'ISCED level',
      () => v.intList('input.educationLevels', [2, 9], 0, 8),
      'input.educationLevels[1]',
      'input.educationLevels[1] must be between 0 and 8, got 9',
    ],
    [
      'language',
      () => v.languageList('input.languages', ['nl', 'Dutch']),
      'input.languages[1]',
      'input.languages[1] must be an ISO 639-1 language code like "nl", got "Dutch"',
    ],
    ...(
      [
        ['a zero-width space only', '\u200b', 'visible'],
        ['zero-width joiners and a BOM only', '\u200d\u2060\ufeff', 'visible'],
        ['a control character', 'Lab\u0001', 'control'],
        ['an escape sequence', '\u001b[31mRed', 'control'],
        ['a right-to-left override', 'School\u202egnp.exe', 'control'],
        ['a directional isolate', 'A\u2066B', 'control'],
        ['a line break', 'Two\nlines', 'control'],
        ['a C1 control', 'A\u0085B', 'control'],
      ] as const
    ).map(
      ([what, name, rule]) =>
        [
          `a name with ${what}`,
          () => v.requireText('input.name', name, 200),
          'input.name',
          rule === 'visible'
            ? 'input.name must contain a visible character (a letter, digit or sign)'
            : 'input.name must be one line without control characters (breaks, tabs, escapes, direction overrides)',
        ] as [string, () => unknown, string, string],
    ),
    [
      'unknown language code',
      () => v.languageList('input.languages', ['xx']),
      'input.languages[0]',
      'input.languages[0] must be an ISO 639-1 language code like "nl", got "xx"',
    ],
    [
      'three-letter language code',
      () => v.languageList('input.languages', ['nld']),
      'input.languages[0]',
      'input.languages[0] must be an ISO 639-1 language code like "nl", got "nld"',
    ],
    [
      'email',
      () => v.optionalEmail('input.contactEmail', 'nope'),
      'input.contactEmail',
      'input.contactEmail must be an email address like name@example.org, got "nope"',
    ],
    [
      'email with markup',
      () => v.optionalEmail('e', '<script>@x.org'),
      'e',
      'e must be an email address like name@example.org, got "<script>@x.org"',
    ],
    [
      'email without a dot in its domain',
      () => v.optionalEmail('e', 'a@localhost'),
      'e',
      'e must be an email address like name@example.org, got "a@localhost"',
    ],
    [
      'javascript: website',
      () => v.optionalWebsite('w', 'javascript:alert(1)'),
      'w',
      'w must be an http:// or https:// address, got "javascript:alert(1)"',
    ],
    [
      'data: website',
      () => v.optionalWebsite('w', 'data:text/html,<b>x</b>'),
      'w',
      'w must be an http:// or https:// address, got "data:text/html,<b>x</b>"',
    ],
    [
      'website without a scheme',
      () => v.optionalWebsite('w', 'www.example.org'),
      'w',
      'w must be an http:// or https:// address, got "www.example.org"',
    ],
    [
      'website with markup',
      () => v.optionalWebsite('w', 'https://example.org/"><script>'),
      'w',
      'w must be a plain web address without quotes, markup, spaces or logins, got ' +
        JSON.stringify('https://example.org/"><script>'),
    ],
    [
      'website with a login',
      () => v.optionalWebsite('w', 'https://user:pass@evil.org'),
      'w',
      'w must be a plain web address without quotes, markup, spaces or logins, got "https://user:pass@evil.org"',
    ],
    [
      'website with backslashes',
      () => v.optionalWebsite('w', 'https:\\\\evil.org'),
      'w',
      `w must be an http:// or https:// address, got ${JSON.stringify('https:\\\\evil.org')}`,
    ],
    [
      'website without slashes',
      () => v.optionalWebsite('w', 'http:evil.org'),
      'w',
      'w must be an http:// or https:// address, got "http:evil.org"',
    ],
    ['id', () => v.uuid('id', '42'), 'id', 'id must be an ID returned by this API, got "42"'],
  ])('%s', (_name, fn, field, message) => {
    expect(failure(fn)).toEqual({ field, message });
  });

  it.each([
    ['distinct SDGs in first-seen order', () => v.sdgList('s', [13, 6, 13], { nonEmpty: true }), [13, 6]],
    ['trimmed text', () => v.requireText('n', '  Leuven  ', 10), 'Leuven'],
    ['blank optional text is null', () => v.optionalText('d', '  ', 10), null],
    ['languages lowercased', () => v.languageList('l', ['NL', 'en']), ['nl', 'en']],
    [
      'uuid lowercased',
      () => v.uuid('id', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'),
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
    ],
    ['an https website', () => v.optionalWebsite('w', 'https://www.kuleuven.be/en'), 'https://www.kuleuven.be/en'],
    ['a name in Arabic script', () => v.requireText('n', 'مدرسة الأمل', 200), 'مدرسة الأمل'],
    ['a name with an emoji and a joiner', () => v.requireText('n', 'Bee 🐝 lab‍', 200), 'Bee 🐝 lab‍'],
    ['a name of signs only', () => v.requireText('n', '4+', 200), '4+'],
    ['an everyday email', () => v.optionalEmail('e', "o'brien+hub@mail.example.ie"), "o'brien+hub@mail.example.ie"],
  ])('accepts %s', (_name, fn, expected) => {
    expect(fn()).toEqual(expected);
  });
});

describe('spreadsheet formulas are neutralised (CSV injection)', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","x")', `'=HYPERLINK("http://evil.example","x")`],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ["+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"],
    ['-2+3+cmd|x', "'-2+3+cmd|x"],
    ['\t=1', "'\t=1"],
    ['-0.52', '-0.52'],
    ['-1,5', '-1,5'],
    ['-2+3', "'-2+3"],
    ['-1-1', "'-1-1"],
    ['+1/2', "'+1/2"],
    ['+32-16-123456', "'+32-16-123456"],
    ['-(1+1)', "'-(1+1)"],
    ['  =HYPERLINK("x")', `'  =HYPERLINK("x")`],
    ['+31 53 489 9111', '+31 53 489 9111'],
    ['+32 (0)16 32 40 10', '+32 (0)16 32 40 10'],
    ['KU Leuven', 'KU Leuven'],
    ['', ''],
  ])('%j becomes %j', (input, expected) => {
    expect(neutraliseFormula(input)).toBe(expected);
    expect(csvField(input).replace(/^"|"$/g, '').replace(/""/g, '"')).toBe(expected);
  });
});
