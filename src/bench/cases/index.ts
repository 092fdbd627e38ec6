/**
 * Edge: the benchmark cases `npm run bench` times, in lesson order. Each model's case file
 * exports a BenchCase and adds itself here with one line.
 */
import type { BenchCase } from '../harness.js';
import { lenet5Case } from './lenet5.js';
import { circlesCase, perceptronCase, xorCase } from './mlp.js';
import { transformerCase } from './transformer.js';

export const cases: BenchCase[] = [
  perceptronCase,
  xorCase,
  circlesCase,
  lenet5Case,
  transformerCase,
];
