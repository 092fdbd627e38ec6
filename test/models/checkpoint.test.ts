import { describe, expect, it } from 'vitest';
import type { Parameter } from '../../src/blocks/parameters.js';
import {
  readCheckpointConfig,
  restoreCheckpoint,
  serializeCheckpoint,
} from '../../src/models/checkpoint.js';

function makeParameters(): Parameter[] {
  return [
    {
      name: 'dense.weights',
      value: [
        [0.1, -0.2],
        [1 / 3, 4e-17],
      ],
      grad: [
        [0, 0],
        [0, 0],
      ],
    },
    { name: 'dense.bias', value: [0.5, -0.5], grad: [0, 0] },
  ];
}

function blank(): Parameter[] {
  return [
    {
      name: 'dense.weights',
      value: [
        [0, 0],
        [0, 0],
      ],
      grad: [
        [0, 0],
        [0, 0],
      ],
    },
    { name: 'dense.bias', value: [0, 0], grad: [0, 0] },
  ];
}

describe('checkpoint', () => {
  it('round trip restores exact values', () => {
    const text = serializeCheckpoint('mlp', { hidden: 2 }, makeParameters());
    const target = blank();
    const config = restoreCheckpoint(text, 'mlp', target, 'model.json');
    expect(config).toEqual({ hidden: 2 });
    expect(target.map((p) => p.value)).toEqual(makeParameters().map((p) => p.value));
  });

  it('reads the config alone', () => {
    const text = serializeCheckpoint('mlp', { hidden: 2 }, makeParameters());
    expect(readCheckpointConfig(text, 'mlp', 'model.json')).toEqual({ hidden: 2 });
  });

  it('rejects text that is not JSON', () => {
    expect(() => restoreCheckpoint('hello', 'mlp', blank(), 'a.txt')).toThrow(
      "a.txt is not JSON, so it is not a modelwerk checkpoint; pass a file written by a lesson's " +
        '--save option',
    );
  });

  it('rejects JSON of another format', () => {
    expect(() => restoreCheckpoint('{"a":1}', 'mlp', blank(), 'a.json')).toThrow(
      'a.json is not a modelwerk checkpoint; save one with --save FILE',
    );
  });

  it('rejects another version', () => {
    const text = JSON.stringify({ format: 'modelwerk-checkpoint', version: 9 });
    expect(() => restoreCheckpoint(text, 'mlp', blank(), 'a.json')).toThrow(
      'a.json has checkpoint version 9; this modelwerk reads version 1',
    );
  });

  it('rejects another model', () => {
    const text = serializeCheckpoint('lenet5', {}, makeParameters());
    expect(() => restoreCheckpoint(text, 'mlp', blank(), 'a.json')).toThrow(
      'a.json contains a lenet5 model, not mlp; load it in its own lesson',
    );
  });

  it('rejects a missing parameter', () => {
    const text = serializeCheckpoint('mlp', {}, makeParameters().slice(1));
    expect(() => restoreCheckpoint(text, 'mlp', blank(), 'a.json')).toThrow(
      'a.json: parameter dense.weights is missing; the file does not match the network its ' +
        'config describes, so it is damaged or was written by another version of modelwerk; ' +
        "write a new one with the lesson's --save option",
    );
  });

  it('rejects another shape', () => {
    const wide: Parameter[] = [
      { name: 'dense.weights', value: [[0, 0, 0]], grad: [[0, 0, 0]] },
      { name: 'dense.bias', value: [0, 0], grad: [0, 0] },
    ];
    const text = serializeCheckpoint('mlp', {}, wide);
    expect(() => restoreCheckpoint(text, 'mlp', blank(), 'a.json')).toThrow(
      'a.json: parameter dense.weights has shape (1, 3) but the model expects (2, 2); ' +
        'the file does not match the network its config describes, so it is damaged or was ' +
        "written by another version of modelwerk; write a new one with the lesson's --save option",
    );
  });

  it('rejects a value that is not a number', () => {
    const parsed = JSON.parse(serializeCheckpoint('mlp', {}, makeParameters()));
    parsed.parameters['dense.bias'].values[1] = 'x';
    expect(() => restoreCheckpoint(JSON.stringify(parsed), 'mlp', blank(), 'a.json')).toThrow(
      'a.json: parameter dense.bias contains x, which is not a finite number; the file is damaged',
    );
  });

  it('rejects a short value list', () => {
    const parsed = JSON.parse(serializeCheckpoint('mlp', {}, makeParameters()));
    parsed.parameters['dense.bias'].values.pop();
    expect(() => restoreCheckpoint(JSON.stringify(parsed), 'mlp', blank(), 'a.json')).toThrow(
      'a.json: parameter dense.bias should hold 2 values; the file is damaged',
    );
  });
});
