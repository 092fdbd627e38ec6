/**
 * Layer 3: the truth tables of two-input logic gates, the first tasks a neuron learns.
 *
 * AND, OR and NAND are linearly separable: one straight line splits the inputs with output 1
 * from those with output 0. XOR is not: its 1s sit on one diagonal of the unit square and its
 * 0s on the other, which is why a single perceptron cannot learn it (Minsky and Papert, 1969).
 */
import type { Vector } from '../primitives/shapes.js';

export type GateName = 'AND' | 'OR' | 'NAND' | 'XOR';

/** The gates in the order lessons show them. */
export const GATE_NAMES: readonly GateName[] = ['AND', 'OR', 'NAND', 'XOR'];

/** A labelled data set: inputs (samples, features) and targets (samples, outputs). */
export interface Dataset {
  inputs: Vector[];
  targets: Vector[];
}

const OUTPUTS: Record<GateName, (a: number, b: number) => number> = {
  AND: (a, b) => a & b,
  OR: (a, b) => a | b,
  NAND: (a, b) => 1 - (a & b),
  XOR: (a, b) => a ^ b,
};

/**
 * Returns a gate's truth table: the four inputs (0,0), (0,1), (1,0), (1,1) in that order, each
 * with its output as a target of length 1. Every call returns new arrays.
 */
export function gateData(name: GateName): Dataset {
  const inputs: Vector[] = [];
  const targets: Vector[] = [];
  for (const a of [0, 1]) {
    for (const b of [0, 1]) {
      inputs.push([a, b]);
      targets.push([OUTPUTS[name](a, b)]);
    }
  }
  return { inputs, targets };
}
