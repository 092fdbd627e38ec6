import { describe, expect, it } from 'vitest';
import { GATE_NAMES, gateData } from '../../src/data/gates.js';

describe('gates', () => {
  it('gates list their truth tables', () => {
    const outputs = Object.fromEntries(
      GATE_NAMES.map((name) => [name, gateData(name).targets.map((t) => t[0])]),
    );
    // inputs in order (0,0), (0,1), (1,0), (1,1)
    expect(outputs).toEqual({
      AND: [0, 0, 0, 1],
      OR: [0, 1, 1, 1],
      NAND: [1, 1, 1, 0],
      XOR: [0, 1, 1, 0],
    });
  });

  it('gate inputs cover the unit square', () => {
    expect(gateData('AND').inputs).toEqual([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]);
  });

  it('gate data is a fresh copy', () => {
    const first = gateData('OR');
    first.inputs[0][0] = 9;
    expect(gateData('OR').inputs[0][0]).toBe(0);
  });
});
