import { describe, expect, it } from 'vitest';
import {
  convBackward,
  convForward,
  convParameterCount,
  convParameters,
  createConv,
  type ConvConfig,
  type ConvLayer,
} from '../../src/blocks/conv.js';
import { checkGradient } from '../../src/blocks/gradcheck.js';
import { countParameters, zeroGradients } from '../../src/blocks/parameters.js';
import { createRng, type Rng } from '../../src/primitives/random.js';
import type { Tensor3D } from '../../src/primitives/shapes.js';

function randomMaps(channels: number, rows: number, cols: number, rng: Rng): Tensor3D {
  return Array.from({ length: channels }, () =>
    Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.uniformIn(-1, 1))),
  );
}

/** L = sum of out * weight, so dL/dOut = weight. */
function weightedSum(out: Tensor3D, weight: Tensor3D): number {
  let total = 0;
  out.forEach((map, c) =>
    map.forEach((row, y) => row.forEach((v, x) => (total += v * weight[c][y][x]))),
  );
  return total;
}

/** Checks the weight, bias and input gradients of one convolution against finite differences. */
function expectConvGradients(config: ConvConfig): void {
  const rng = createRng(7);
  const layer = createConv(config, rng);
  layer.params.bias.forEach((_, o) => (layer.params.bias[o] = rng.uniformIn(-1, 1)));
  const input = randomMaps(config.inChannels, config.inputRows, config.inputCols, rng);
  const dOut = randomMaps(config.outChannels, layer.outputRows, layer.outputCols, rng);
  const loss = () => weightedSum(convForward(layer, input), dOut);

  convForward(layer, input);
  const dInput = convBackward(layer, dOut);
  for (const p of convParameters(layer)) {
    expect(checkGradient(loss, p.value, p.grad).maxRelativeError, p.name).toBeLessThan(1e-7);
  }
  const dInputCopy = dInput.map((map) => map.map((row) => [...row]));
  expect(checkGradient(loss, input, dInputCopy).maxRelativeError).toBeLessThan(1e-7);
}

/**
 * dIn_p[c][r][s] = sum over (o, j) reading c, u, v of dOut_full[o][r + u][s + v] *
 * w[o][j][k-1-u][k-1-v], with dOut_full = dOut inside a border of k - 1 zeros; dIn drops the
 * padding. Written out literally, as the reference for convBackward.
 */
function fullConvolutionReference(layer: ConvLayer, dOut: Tensor3D): Tensor3D {
  const k = layer.kernelSize;
  const p = layer.padding;
  const full = (o: number, r: number, s: number): number => {
    const y = r - (k - 1);
    const x = s - (k - 1);
    return y >= 0 && y < layer.outputRows && x >= 0 && x < layer.outputCols ? dOut[o][y][x] : 0;
  };
  return Array.from({ length: layer.inChannels }, (_, c) =>
    Array.from({ length: layer.inputRows }, (_, y) =>
      Array.from({ length: layer.inputCols }, (_, x) => {
        let total = 0;
        layer.connections.forEach((inputs, o) =>
          inputs.forEach((input, j) => {
            if (input !== c) return;
            for (let u = 0; u < k; u++) {
              for (let v = 0; v < k; v++) {
                total +=
                  full(o, y + p + u, x + p + v) * layer.params.weights[o][j][k - 1 - u][k - 1 - v];
              }
            }
          }),
        );
        return total;
      }),
    ),
  );
}

describe('convForward', () => {
  it('correlates a 2x2 kernel with a 3x3 input', () => {
    const layer = createConv(
      { inChannels: 1, outChannels: 1, kernelSize: 2, inputRows: 3, inputCols: 3 },
      createRng(1),
    );
    layer.params.weights[0][0] = [
      [1, 2],
      [3, 4],
    ];
    layer.params.bias[0] = 0.5;
    const input = [
      [
        [1, 0, 2],
        [0, 1, 0],
        [3, 0, 1],
      ],
    ];
    // out[0][0] = 1*1 + 2*0 + 3*0 + 4*1 + 0.5 = 5.5;  out[0][1] = 1*0 + 2*2 + 3*1 + 4*0 + 0.5 = 7.5
    // out[1][0] = 1*0 + 2*1 + 3*3 + 4*0 + 0.5 = 11.5; out[1][1] = 1*1 + 2*0 + 3*0 + 4*1 + 0.5 = 5.5
    expect(convForward(layer, input)).toEqual([
      [
        [5.5, 7.5],
        [11.5, 5.5],
      ],
    ]);
  });

  it('pads with zeros', () => {
    const layer = createConv(
      { inChannels: 1, outChannels: 1, kernelSize: 3, inputRows: 1, inputCols: 2, padding: 1 },
      createRng(1),
    );
    layer.params.weights[0][0] = [
      [1, 1, 1],
      [1, 10, 1],
      [1, 1, 1],
    ];
    // Input [2, 3] inside a border of zeros: out[0][0] = 10*2 + 1*3 = 23, out[0][1] = 2 + 30 = 32.
    expect(convForward(layer, [[[2, 3]]])).toEqual([[[23, 32]]]);
  });

  it('reads only the maps in the connection table', () => {
    const layer = createConv(
      {
        inChannels: 3,
        outChannels: 2,
        kernelSize: 1,
        inputRows: 1,
        inputCols: 1,
        connections: [[2], [0, 1]],
      },
      createRng(1),
    );
    layer.params.weights = [[[[1]]], [[[10]], [[100]]]];
    // out[0] = 1*in[2] = 3; out[1] = 10*in[0] + 100*in[1] = 10 + 200 = 210.
    expect(convForward(layer, [[[1]], [[2]], [[3]]])).toEqual([[[3]], [[210]]]);
  });
});

describe('convBackward', () => {
  it('full table gradients match finite differences', () => {
    expectConvGradients({
      inChannels: 2,
      outChannels: 3,
      kernelSize: 3,
      inputRows: 6,
      inputCols: 6,
    });
  });

  it('non-square padded gradients match finite differences', () => {
    expectConvGradients({
      inChannels: 2,
      outChannels: 2,
      kernelSize: 3,
      inputRows: 4,
      inputCols: 7,
      padding: 2,
    });
  });

  it('partial table gradients match finite differences', () => {
    expectConvGradients({
      inChannels: 3,
      outChannels: 4,
      kernelSize: 2,
      inputRows: 5,
      inputCols: 3,
      padding: 1,
      connections: [[0], [1, 2], [2, 0], [0, 1, 2]],
    });
  });

  it('dInput is the full convolution with the rotated kernel', () => {
    const rng = createRng(11);
    const layer = createConv(
      {
        inChannels: 3,
        outChannels: 2,
        kernelSize: 3,
        inputRows: 4,
        inputCols: 6,
        padding: 1,
        connections: [
          [0, 2],
          [1, 2, 0],
        ],
      },
      rng,
    );
    convForward(layer, randomMaps(3, 4, 6, rng));
    const dOut = randomMaps(2, layer.outputRows, layer.outputCols, rng);
    const dInput = convBackward(layer, dOut);
    const expected = fullConvolutionReference(layer, dOut);
    expected.forEach((map, c) =>
      map.forEach((row, y) => row.forEach((v, x) => expect(dInput[c][y][x]).toBeCloseTo(v, 12))),
    );
  });

  it('spreads one output gradient over the kernel', () => {
    // With dOut one-hot at output (1, 1), input pixel (1 + ky, 1 + kx) met kernel entry
    // (ky, kx), so dInput is the kernel placed with its corner at (1, 1).
    const layer = createConv(
      { inChannels: 1, outChannels: 1, kernelSize: 2, inputRows: 3, inputCols: 3 },
      createRng(1),
    );
    layer.params.weights[0][0] = [
      [1, 2],
      [3, 4],
    ];
    convForward(layer, [
      [
        [0, 0, 0],
        [0, 0, 0],
        [0, 0, 0],
      ],
    ]);
    const dInput = convBackward(layer, [
      [
        [0, 0],
        [0, 1],
      ],
    ]);
    expect(dInput).toEqual([
      [
        [0, 0, 0],
        [0, 1, 2],
        [0, 3, 4],
      ],
    ]);
  });

  it('accumulates into the gradients', () => {
    const rng = createRng(3);
    const layer = createConv(
      { inChannels: 1, outChannels: 1, kernelSize: 2, inputRows: 2, inputCols: 2 },
      rng,
    );
    convForward(layer, [
      [
        [1, 2],
        [3, 4],
      ],
    ]);
    convBackward(layer, [[[1]]]);
    convBackward(layer, [[[1]]]);
    // Each call adds dw = input * dOut = [[1, 2], [3, 4]] and db = 1.
    expect(layer.grads.weights[0][0]).toEqual([
      [2, 4],
      [6, 8],
    ]);
    expect(layer.grads.bias).toEqual([2]);
    zeroGradients(convParameters(layer));
    expect(layer.grads.bias).toEqual([0]);
  });

  it('skips dInput when asked', () => {
    const layer = createConv(
      {
        inChannels: 1,
        outChannels: 1,
        kernelSize: 1,
        inputRows: 1,
        inputCols: 2,
        computeInputGradient: false,
      },
      createRng(1),
    );
    convForward(layer, [[[1, 2]]]);
    expect(convBackward(layer, [[[1, 1]]])).toEqual([[[0, 0]]]);
  });
});

describe('convParameters', () => {
  it('lists one weight stack per map under a partial table', () => {
    const layer = createConv(
      {
        name: 'c3',
        inChannels: 2,
        outChannels: 2,
        kernelSize: 1,
        inputRows: 1,
        inputCols: 1,
        connections: [[0], [0, 1]],
      },
      createRng(1),
    );
    expect(convParameters(layer).map((p) => p.name)).toEqual([
      'c3.weights.0',
      'c3.weights.1',
      'c3.bias',
    ]);
  });

  it('lists one weight tensor under the full table', () => {
    const layer = createConv(
      { inChannels: 2, outChannels: 2, kernelSize: 1, inputRows: 1, inputCols: 1 },
      createRng(1),
    );
    expect(convParameters(layer).map((p) => p.name)).toEqual(['conv.weights', 'conv.bias']);
  });
});

describe('convParameterCount', () => {
  it('counts one kernel per connection', () => {
    const layer = createConv(
      {
        inChannels: 3,
        outChannels: 2,
        kernelSize: 5,
        inputRows: 8,
        inputCols: 8,
        connections: [
          [0, 1],
          [0, 1, 2],
        ],
      },
      createRng(1),
    );
    // 5 connections * 25 + 2 biases = 127
    expect(convParameterCount(layer)).toBe(127);
    expect(countParameters(convParameters(layer))).toBe(127);
  });
});

describe('conv errors', () => {
  const base: ConvConfig = {
    inChannels: 2,
    outChannels: 2,
    kernelSize: 3,
    inputRows: 4,
    inputCols: 5,
  };

  it.each([
    [{ kernelSize: 0 }, 'createConv: kernelSize is 0; it must be a whole number >= 1'],
    [{ inChannels: 1.5 }, 'createConv: inChannels is 1.5; it must be a whole number >= 1'],
    [{ padding: -1 }, 'createConv: padding is -1; it must be a whole number >= 0'],
    [
      { kernelSize: 5 },
      'createConv: kernel is (5, 5) but the padded input is (4, 5); ' +
        'the kernel must fit inside the padded input',
    ],
    [
      { connections: [[0]] },
      'createConv: the connection table has 1 rows but outChannels is 2; ' +
        'give one row per output map',
    ],
    [
      { connections: [[0], []] },
      'createConv: connection row 1 is empty; each output map must read at least one input map',
    ],
    [
      { connections: [[0], [2]] },
      'createConv: connection row 1 names input map 2 but inChannels is 2; ' +
        'indices must be in [0, 1]',
    ],
    [
      { connections: [[0, 0], [1]] },
      'createConv: connection row 0 names input map 0 twice; name each map once',
    ],
  ])('createConv rejects %j', (change, message) => {
    expect(() => createConv({ ...base, ...change }, createRng(1))).toThrow(message);
  });

  it('convForward rejects a wrong input shape', () => {
    const layer = createConv(base, createRng(1));
    expect(() => convForward(layer, randomMaps(2, 5, 4, createRng(1)))).toThrow(
      'convForward: input is (2, 5, 4) but the layer expects (2, 4, 5); the shapes must be equal',
    );
  });

  it('convBackward rejects a wrong dOut shape', () => {
    const layer = createConv(base, createRng(1));
    expect(() => convBackward(layer, randomMaps(2, 3, 3, createRng(1)))).toThrow(
      'convBackward: dOut is (2, 3, 3) but the layer expects (2, 2, 3); the shapes must be equal',
    );
  });
});
