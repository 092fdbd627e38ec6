import { describe, expect, it } from 'vitest';
import { checkGradient } from '../../src/blocks/gradcheck.js';
import {
  createNetwork,
  networkBackward,
  networkForward,
  networkParameters,
} from '../../src/blocks/network.js';
import { createRng } from '../../src/primitives/random.js';
import { dot } from '../../src/primitives/vector.js';

function smallNetwork() {
  return createNetwork(
    {
      inputs: 3,
      layers: [
        { outputs: 4, activation: 'tanh', name: 'hidden1' },
        { outputs: 3, activation: 'sigmoid' },
        { outputs: 2, activation: 'identity', name: 'output' },
      ],
    },
    createRng(6),
  );
}

describe('network', () => {
  it('network chains the layers', () => {
    const network = smallNetwork();
    expect(network.layers.map((layer) => layer.name)).toEqual(['hidden1', 'layer2', 'output']);
    expect(network.layers[1].inputs).toBe(4);
    expect(network.outputs).toBe(2);
    expect(network.dOutput).toEqual([0, 0]);
  });

  it('network forward returns the last output buffer', () => {
    const network = smallNetwork();
    const output = networkForward(network, [1, 0, -1]);
    expect(output).toBe(network.layers[2].output);
    expect(output).toHaveLength(2);
  });

  it('network parameters list every layer', () => {
    const names = networkParameters(smallNetwork()).map((p) => p.name);
    expect(names).toEqual([
      'hidden1.weights',
      'hidden1.bias',
      'layer2.weights',
      'layer2.bias',
      'output.weights',
      'output.bias',
    ]);
  });

  it('network backward matches finite differences', () => {
    const network = smallNetwork();
    const x = [0.2, -0.6, 0.9];
    const c = [1.5, -0.5];
    const loss = () => dot(c, networkForward(network, x));

    networkForward(network, x);
    const dInput = networkBackward(network, c).slice();
    for (const p of networkParameters(network)) {
      expect(checkGradient(loss, p.value, p.grad).maxRelativeError, p.name).toBeLessThan(1e-6);
    }
    expect(checkGradient(loss, x, dInput).maxRelativeError).toBeLessThan(1e-6);
  });
});

describe('network errors', () => {
  const network = smallNetwork();
  const cases: [string, () => unknown, string][] = [
    [
      'createNetwork layers',
      () => createNetwork({ inputs: 2, layers: [] }, createRng(1)),
      'createNetwork: layers is empty; pass at least one layer',
    ],
    [
      'createNetwork inputs',
      () => createNetwork({ inputs: -2, layers: [] }, createRng(1)),
      'createNetwork: inputs is -2; it must be a whole number >= 0',
    ],
    [
      'networkForward',
      () => networkForward(network, [1, 2]),
      'networkForward: network takes 3 inputs but input has length 2; ' +
        "the input length must equal the network's input count",
    ],
    [
      'networkBackward',
      () => networkBackward(network, [1, 2, 3]),
      'networkBackward: network has 2 outputs but dOut has length 3; ' +
        'dOut must have one element per output',
    ],
  ];

  it.each(cases)('%s error message', (_name, call, message) => {
    expect(call).toThrow(new RangeError(message));
  });
});
