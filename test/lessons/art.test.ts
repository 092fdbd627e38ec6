import { describe, expect, it } from 'vitest';
import {
  BOUNDARY_RAMP,
  boundaryMap,
  rampLegend,
  shadeChar,
  shadeGrid,
  sideBySide,
} from '../../src/lessons/art.js';

describe('shadeChar', () => {
  it('cuts the range into one bin per ramp character', () => {
    // ramp ' .:-=' over [0, 1]: bins of width 0.2, so 0.5 is in bin floor(2.5) = 2
    expect(shadeChar(0.5, 0, 1, BOUNDARY_RAMP)).toBe(':');
    expect(shadeChar(0, 0, 1, BOUNDARY_RAMP)).toBe(' ');
    expect(shadeChar(0.99, 0, 1, BOUNDARY_RAMP)).toBe('=');
  });

  it('clamps values outside the range', () => {
    expect(shadeChar(-5, 0, 1)).toBe(' ');
    expect(shadeChar(1, 0, 1)).toBe('@');
    expect(shadeChar(7, 0, 1)).toBe('@');
  });

  it('draws NaN as a question mark', () => {
    expect(shadeChar(NaN, 0, 1)).toBe('?');
  });
});

describe('shadeGrid', () => {
  it('draws row 0 first and trims trailing spaces', () => {
    // SHADE_RAMP has 10 characters, so 0.5 falls in bin floor(5) = 5, which is '+'
    expect(
      shadeGrid(
        [
          [1, 0.5, 0],
          [0, 0, 0],
        ],
        { min: 0, max: 1 },
      ),
    ).toEqual(['@+', '']);
  });

  it('repeats each cell cellWidth times', () => {
    expect(shadeGrid([[1, 0.5]], { min: 0, max: 1, cellWidth: 2 })).toEqual(['@@++']);
  });

  it('rejects max not above min', () => {
    expect(() => shadeGrid([[0]], { min: 1, max: 1 })).toThrow(
      'shadeGrid: min is 1 and max is 1; max must be above min',
    );
  });

  it('rejects ragged rows', () => {
    expect(() => shadeGrid([[0, 1], [0]], { min: 0, max: 1 })).toThrow(
      'shadeGrid: row 1 has length 1 but row 0 has length 2; every row must have the same length',
    );
  });
});

describe('boundaryMap', () => {
  const panel = {
    title: 'AND',
    xs: [0, 0.5, 1],
    ys: [0, 0.5, 1],
    // value at (xs[col], ys[row]); row 0 is y = 0
    values: [
      [0, 0, 0.3],
      [0, 0.5, 0.9],
      [0.3, 0.9, 1],
    ],
    points: [
      { x: 0, y: 0, label: 0 },
      { x: 1, y: 1, label: 1 },
      { x: 0.9, y: 0.1, label: 0 },
    ],
  };

  it('frames the surface with the largest y on top', () => {
    expect(boundaryMap(panel)).toEqual([
      '    AND',
      '    +---+',
      '1.0 |.=x|',
      '    | :=|',
      '0.0 |o o|',
      '    +---+',
      '    0.0 1.0',
    ]);
  });

  it('gives the same map for descending ys', () => {
    const flipped = { ...panel, ys: [...panel.ys].reverse(), values: [...panel.values].reverse() };
    expect(boundaryMap(flipped)).toEqual(boundaryMap(panel));
  });

  it('rejects a grid that does not match the coordinates', () => {
    expect(() => boundaryMap({ ...panel, xs: [0, 1] })).toThrow(
      'boundaryMap: values are (3, 3) but ys has length 3 and xs has length 2; ' +
        'values must be (ys.length, xs.length)',
    );
  });

  it('rejects a label without a mark', () => {
    expect(() =>
      boundaryMap({ ...panel, points: [{ x: 0, y: 0, label: 2 }] }, { marks: 'ox' }),
    ).toThrow('boundaryMap: label 2 has no mark; marks has 2 characters');
  });
});

describe('sideBySide', () => {
  it('pads each block to its widest line', () => {
    expect(
      sideBySide(
        [
          ['ab', 'c'],
          ['1', '2', '3'],
        ],
        1,
      ),
    ).toEqual(['ab 1', 'c  2', '   3']);
  });
});

describe('rampLegend', () => {
  it('names the range of every character', () => {
    expect(rampLegend(0, 1, ' .:')).toBe("' ' below 0.3, '.' 0.3 to 0.7, ':' 0.7 and above");
  });
});
