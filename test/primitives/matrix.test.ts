import { describe, expect, it } from 'vitest';
import {
  addOuterInPlace,
  cloneMatrix,
  matAdd,
  matMul,
  matMulTransposeA,
  matMulTransposeB,
  matTransposeVec,
  matVec,
  randomMatrix,
  randomNormalMatrix,
  transpose,
  zerosMatrix,
} from '../../src/primitives/matrix.js';
import { createRng } from '../../src/primitives/random.js';

const M = [
  [1, 2, 3],
  [4, 5, 6],
]; // (2, 3)

describe('matrix values', () => {
  it('zerosMatrix has separate rows', () => {
    const m = zerosMatrix(2, 3);
    expect(m).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
    m[0][0] = 1;
    expect(m[1][0]).toBe(0);
  });

  it('matVec multiplies rows by the vector', () => {
    // [1*1 + 2*0 + 3*(-1), 4*1 + 5*0 + 6*(-1)] = [-2, -2]
    expect(matVec(M, [1, 0, -1])).toEqual([-2, -2]);
  });

  it('matVec writes into out', () => {
    const out = [9, 9];
    expect(matVec(M, [1, 1, 1], out)).toBe(out);
    // [1 + 2 + 3, 4 + 5 + 6] = [6, 15]
    expect(out).toEqual([6, 15]);
  });

  it('matTransposeVec multiplies by the transpose', () => {
    // M^T [1, -1] = [1 - 4, 2 - 5, 3 - 6] = [-3, -3, -3]
    expect(matTransposeVec(M, [1, -1])).toEqual([-3, -3, -3]);
    const out = [7, 7, 7];
    matTransposeVec(M, [1, 0], out);
    expect(out).toEqual([1, 2, 3]);
  });

  it('matMul multiplies matrices', () => {
    // [[1,2,3],[4,5,6]] [[1,0],[0,1],[1,1]]
    //   row 0: [1 + 3, 2 + 3] = [4, 5]; row 1: [4 + 6, 5 + 6] = [10, 11]
    const b = [
      [1, 0],
      [0, 1],
      [1, 1],
    ];
    expect(matMul(M, b)).toEqual([
      [4, 5],
      [10, 11],
    ]);
  });

  it('matMulTransposeB equals matMul with a transpose', () => {
    // M M^T: [1+4+9, 4+10+18; 4+10+18, 16+25+36] = [14, 32; 32, 77]
    expect(matMulTransposeB(M, M)).toEqual([
      [14, 32],
      [32, 77],
    ]);
  });

  it('matMulTransposeA equals matMul with a transpose', () => {
    // M^T M, (3, 3): row 0 = [1*1+4*4, 1*2+4*5, 1*3+4*6] = [17, 22, 27]
    const product = matMulTransposeA(M, M);
    expect(product).toEqual(matMul(transpose(M), M));
    expect(product[0]).toEqual([17, 22, 27]);
  });

  it('transpose swaps rows and columns', () => {
    expect(transpose(M)).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
  });

  it('addOuterInPlace accumulates a b^T', () => {
    // [[1,1],[1,1]] + [2, 3] [1, -1]^T = [[1+2, 1-2], [1+3, 1-3]] = [[3, -1], [4, -2]]
    const m = [
      [1, 1],
      [1, 1],
    ];
    expect(addOuterInPlace(m, [2, 3], [1, -1])).toBe(m);
    expect(m).toEqual([
      [3, -1],
      [4, -2],
    ]);
  });

  it('matAdd adds elementwise', () => {
    expect(matAdd(M, M)).toEqual([
      [2, 4, 6],
      [8, 10, 12],
    ]);
  });

  it('cloneMatrix copies rows', () => {
    const copy = cloneMatrix(M);
    expect(copy).toEqual(M);
    expect(copy[0]).not.toBe(M[0]);
  });

  it('randomMatrix stays within the limit and repeats per seed', () => {
    const m = randomMatrix(4, 5, createRng(3), 0.5);
    for (const row of m) for (const x of row) expect(Math.abs(x)).toBeLessThanOrEqual(0.5);
    expect(randomMatrix(4, 5, createRng(3), 0.5)).toEqual(m);
  });

  it('randomNormalMatrix has the requested shape', () => {
    const m = randomNormalMatrix(3, 2, createRng(1), 0.1);
    expect(m.length).toBe(3);
    expect(m[0].length).toBe(2);
  });
});

describe('matrix errors', () => {
  const cases: [string, () => unknown, string][] = [
    [
      'zerosMatrix',
      () => zerosMatrix(2, 1.5),
      'zerosMatrix: cols is 1.5; it must be a whole number >= 0',
    ],
    [
      'randomMatrix',
      () => randomMatrix(2, 2, createRng(1), -1),
      'randomMatrix: limit is -1; it must be a finite number >= 0',
    ],
    [
      'randomNormalMatrix',
      () => randomNormalMatrix(2, 2, createRng(1), NaN),
      'randomNormalMatrix: std is NaN; it must be a finite number >= 0',
    ],
    [
      'matVec',
      () => matVec(zerosMatrix(3, 4), [1, 2, 3, 4, 5]),
      'matVec: matrix is (3, 4) but vector has length 5; ' +
        'the vector length must equal the column count',
    ],
    [
      'matVec out',
      () => matVec(M, [1, 2, 3], [0, 0, 0]),
      'matVec: out has length 3 but the result has length 2; ' +
        'pass an out of the same length as the result',
    ],
    [
      'matTransposeVec',
      () => matTransposeVec(M, [1, 2, 3]),
      'matTransposeVec: matrix is (2, 3) but vector has length 3; ' +
        'the vector length must equal the row count',
    ],
    [
      'matMul',
      () => matMul(M, M),
      'matMul: a is (2, 3) but b is (2, 3); the column count of a must equal the row count of b',
    ],
    [
      'matMul out',
      () => matMul(M, transpose(M), zerosMatrix(3, 3)),
      'matMul: out is (3, 3) but the result is (2, 2); pass an out of the same shape as the result',
    ],
    [
      'matMulTransposeB',
      () => matMulTransposeB(M, transpose(M)),
      'matMulTransposeB: a is (2, 3) but b is (3, 2); a and b must have the same column count',
    ],
    [
      'matMulTransposeA',
      () => matMulTransposeA(M, transpose(M)),
      'matMulTransposeA: a is (2, 3) but b is (3, 2); a and b must have the same row count',
    ],
    [
      'transpose out',
      () => transpose(M, zerosMatrix(2, 3)),
      'transpose: out is (2, 3) but the result is (3, 2); ' +
        'pass an out of the same shape as the result',
    ],
    [
      'addOuterInPlace',
      () => addOuterInPlace(zerosMatrix(2, 2), [1, 2, 3], [1, 2]),
      'addOuterInPlace: matrix is (2, 2) but a has length 3 and b has length 2; ' +
        'a must have the row count and b the column count',
    ],
    [
      'matAdd',
      () => matAdd(M, zerosMatrix(3, 2)),
      'matAdd: a is (2, 3) but b is (3, 2); the shapes must be equal',
    ],
  ];

  it.each(cases)('%s error message', (_name, call, message) => {
    expect(call).toThrow(new RangeError(message));
  });
});
