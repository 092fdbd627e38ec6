import { describe, expect, it } from 'vitest';
import { buildVocabulary, decode, encode } from '../../src/data/tokenizer.js';
import { UserError } from '../../src/primitives/errors.js';

describe('buildVocabulary', () => {
  it('numbers distinct characters in code-point order', () => {
    const vocabulary = buildVocabulary('bab\na');
    // code points: '\n' 10, 'a' 97, 'b' 98
    expect(vocabulary.characters).toEqual(['\n', 'a', 'b']);
    expect(vocabulary.ids.get('b')).toBe(2);
  });
});

describe('encode', () => {
  const vocabulary = buildVocabulary('ab ,\n');

  it('round-trips through decode', () => {
    const ids = encode(vocabulary, 'ba, ab\n');
    expect(ids).toEqual([4, 3, 2, 1, 3, 4, 0]);
    expect(decode(vocabulary, ids)).toBe('ba, ab\n');
  });

  it('lists every unknown character once', () => {
    const encodeBad = () => encode(vocabulary, 'abc@c', '--prompt "abc@c"');
    expect(encodeBad).toThrow(UserError);
    expect(encodeBad).toThrow(
      '--prompt "abc@c" contains characters outside the vocabulary: "c", "@"; use only newline ' +
        'and these characters: " ,ab"',
    );
  });
});

describe('decode', () => {
  it('rejects an id outside the vocabulary', () => {
    expect(() => decode(buildVocabulary('ab'), [0, 2])).toThrow(
      "decode: id 2 is not in [0, 2), the vocabulary's ids",
    );
  });
});
