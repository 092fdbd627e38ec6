import { describe, expect, it } from 'vitest';
import { checkGradient } from '../../src/blocks/gradcheck.js';
import { zeroGradients } from '../../src/blocks/parameters.js';
import { createRng } from '../../src/primitives/random.js';
import {
  createTrainer,
  createTransformer,
  evaluateLoss,
  generate,
  layerGradientNorms,
  sampleBatch,
  trainStep,
  transformerBackward,
  transformerForward,
  transformerLoss,
  transformerParameters,
  type TrainingSettings,
  type TransformerConfig,
} from '../../src/models/transformer.js';

const tiny: TransformerConfig = {
  vocabSize: 5,
  dModel: 4,
  numHeads: 2,
  numLayers: 2,
  dFF: 8,
  maxSeqLen: 6,
};

const settings: TrainingSettings = {
  steps: 40,
  batchSize: 2,
  seqLen: 6,
  optimizer: 'adam',
  learningRate: 0.5,
  warmupSteps: 5,
  maxGradientNorm: 1,
};

/** Checks every parameter's gradient of the mean loss over `sequences` of [input, target]. */
function expectBatchGradients(config: TransformerConfig, sequences: number[][][]): void {
  const model = createTransformer(config, createRng(3));
  const parameters = transformerParameters(model);
  const loss = () => {
    let total = 0;
    for (const [input, target] of sequences) {
      transformerForward(model, input);
      total += transformerLoss(model, target);
    }
    return total / sequences.length;
  };
  zeroGradients(parameters);
  for (const [input, target] of sequences) {
    transformerForward(model, input);
    transformerLoss(model, target, 1 / sequences.length);
    transformerBackward(model);
  }
  for (const p of parameters) {
    const result = checkGradient(loss, p.value, p.grad, { maxChecks: 12 });
    expect(result.maxRelativeError, p.name).toBeLessThan(1e-5);
  }
}

describe('transformerBackward', () => {
  it('matches finite differences', () => {
    expectBatchGradients(tiny, [
      [
        [0, 3, 1, 4, 2],
        [3, 1, 4, 2, 2],
      ],
    ]);
  });

  it('matches finite differences without residuals', () => {
    expectBatchGradients({ ...tiny, residual: false }, [
      [
        [1, 1, 0, 2],
        [1, 0, 2, 3],
      ],
    ]);
  });

  it('matches finite differences over a training batch', () => {
    // One whole step's gradient: the mean over two windows of different lengths.
    expectBatchGradients(tiny, [
      [
        [4, 0, 0, 1, 2, 3],
        [0, 0, 1, 2, 3, 4],
      ],
      [
        [2, 2, 1],
        [2, 1, 0],
      ],
    ]);
  });
});

describe('transformerForward', () => {
  it('extends a prefix like a full pass', () => {
    const model = createTransformer(tiny, createRng(4));
    const tokens = [1, 4, 0, 2, 3];
    const expected = transformerForward(model, tokens).map((row) => [...row]);
    transformerForward(model, tokens.slice(0, 2));
    const extended = transformerForward(model, tokens, 2);
    // Each row runs the same arithmetic in the same order, so the logits match exactly.
    expect(extended.slice(0, tokens.length)).toEqual(expected.slice(0, tokens.length));
  });

  it('rejects more tokens than maxSeqLen', () => {
    const model = createTransformer(tiny, createRng(1));
    expect(() => transformerForward(model, [0, 0, 0, 0, 0, 0, 0])).toThrow(
      'embeddingForward: 7 tokens but the buffers hold maxSeqLen 6',
    );
  });
});

describe('transformerLoss', () => {
  it('starts near log(vocabSize)', () => {
    // Small random weights give nearly uniform predictions: ln 5 = 1.609 nats.
    const model = createTransformer(tiny, createRng(5));
    transformerForward(model, [0, 1, 2, 3]);
    expect(transformerLoss(model, [1, 2, 3, 4])).toBeCloseTo(Math.log(5), 0);
  });

  it('rejects targets of another length', () => {
    const model = createTransformer(tiny, createRng(1));
    transformerForward(model, [0, 1, 2]);
    expect(() => transformerLoss(model, [1, 2])).toThrow(
      'transformerLoss: targets has length 2 but the last forward call had seqLen 3; pass one ' +
        'target per position',
    );
  });
});

describe('createTransformer', () => {
  it('rejects zero layers', () => {
    expect(() => createTransformer({ ...tiny, numLayers: 0 }, createRng(1))).toThrow(
      'createTransformer: numLayers is 0; it must be a positive integer',
    );
  });
});

describe('trainStep', () => {
  it('lowers the loss on a repeated text', () => {
    const rng = createRng(6);
    const model = createTransformer(tiny, rng);
    const trainer = createTrainer(model, settings);
    const text = Array.from({ length: 60 }, (_, i) => [0, 1, 2, 3, 4, 2][i % 6]);
    const before = evaluateLoss(model, text, 6);
    for (let s = 0; s < settings.steps; s++) trainStep(trainer, sampleBatch(text, 2, 6, rng));
    expect(evaluateLoss(model, text, 6)).toBeLessThan(before / 2);
    expect(trainer.step).toBe(settings.steps);
  });

  it('lowers the loss with plain SGD', () => {
    const rng = createRng(6);
    const model = createTransformer(tiny, rng);
    const trainer = createTrainer(model, { ...settings, optimizer: 'sgd', learningRate: 0.5 });
    const text = Array.from({ length: 60 }, (_, i) => [0, 1, 2, 3, 4, 2][i % 6]);
    const before = evaluateLoss(model, text, 6);
    for (let s = 0; s < settings.steps; s++) trainStep(trainer, sampleBatch(text, 2, 6, rng));
    expect(evaluateLoss(model, text, 6)).toBeLessThan(before);
  });

  it('reports the step where the loss diverged', () => {
    const model = createTransformer(tiny, createRng(1));
    const trainer = createTrainer(model, settings);
    model.output.params.bias[0] = NaN;
    expect(() => trainStep(trainer, { inputs: [[0, 1]], targets: [[1, 2]] })).toThrow(
      'training diverged at step 1: the loss in output is NaN; try a smaller learning rate or ' +
        'another seed',
    );
  });
});

describe('evaluateLoss', () => {
  it('scores consecutive windows', () => {
    // 6 tokens with seqLen 3: windows predict tokens 1-3 and 4-5, weighted 3 and 2.
    const model = createTransformer(tiny, createRng(7));
    const text = [0, 1, 2, 3, 4, 0];
    transformerForward(model, [0, 1, 2]);
    const first = transformerLoss(model, [1, 2, 3]);
    transformerForward(model, [3, 4]);
    const second = transformerLoss(model, [4, 0]);
    expect(evaluateLoss(model, text, 3)).toBeCloseTo((3 * first + 2 * second) / 5, 12);
  });

  it('rejects a one-token text', () => {
    const model = createTransformer(tiny, createRng(1));
    expect(() => evaluateLoss(model, [0], 3)).toThrow(
      'evaluateLoss: the text has 1 tokens; pass at least 2',
    );
  });
});

describe('sampleBatch', () => {
  it('pairs each window with its shift', () => {
    const batch = sampleBatch([0, 1, 2, 3, 4], 3, 2, createRng(1));
    for (let b = 0; b < 3; b++) {
      expect(batch.targets[b][0]).toBe(batch.inputs[b][1]);
      expect(batch.targets[b][1]).toBe(batch.inputs[b][1] + 1);
    }
  });

  it('rejects a text no longer than seqLen', () => {
    expect(() => sampleBatch([0, 1], 1, 2, createRng(1))).toThrow(
      'sampleBatch: the text has 2 tokens but a window needs seqLen + 1 = 3; use a shorter seqLen',
    );
  });
});

describe('layerGradientNorms', () => {
  it('lists the embedding, each block and the output', () => {
    const model = createTransformer(tiny, createRng(8));
    zeroGradients(transformerParameters(model));
    transformerForward(model, [0, 1, 2]);
    transformerLoss(model, [1, 2, 3]);
    transformerBackward(model);
    const norms = layerGradientNorms(model);
    expect(norms.map((n) => n.layer)).toEqual(['embedding', 'block 0', 'block 1', 'output']);
    for (const n of norms) expect(n.parameterNorm).toBeGreaterThan(0);
    expect(norms[1].inputNorm).toBeGreaterThan(0);
  });
});

describe('generate', () => {
  it('repeats greedy text and never draws', () => {
    const model = createTransformer(tiny, createRng(9));
    const rng = createRng(1);
    const first = generate(model, [0, 1], { length: 20, temperature: 0 }, rng);
    const second = generate(model, [0, 1], { length: 20, temperature: 0 }, rng);
    expect(first).toHaveLength(20);
    expect(second).toEqual(first);
    expect(rng.nextUint32()).toBe(createRng(1).nextUint32());
  });

  it('matches greedy with topK 1', () => {
    const model = createTransformer(tiny, createRng(9));
    const greedy = generate(model, [2], { length: 15, temperature: 0 }, createRng(1));
    const topOne = generate(model, [2], { length: 15, temperature: 1, topK: 1 }, createRng(2));
    expect(topOne).toEqual(greedy);
  });

  it('samples the same text from the same seed', () => {
    const model = createTransformer(tiny, createRng(9));
    const options = { length: 15, temperature: 1.5 };
    const first = generate(model, [2], options, createRng(5));
    expect(generate(model, [2], options, createRng(5))).toEqual(first);
  });

  it('rejects an empty prompt', () => {
    const model = createTransformer(tiny, createRng(1));
    expect(() => generate(model, [], { length: 1, temperature: 0 }, createRng(1))).toThrow(
      'generate: the prompt is empty; pass at least one character id',
    );
  });

  it('rejects a negative temperature', () => {
    const model = createTransformer(tiny, createRng(1));
    expect(() => generate(model, [0], { length: 1, temperature: -1 }, createRng(1))).toThrow(
      'generate: length 1 and temperature -1 are invalid; length must be an integer >= 0 and ' +
        'temperature a number >= 0',
    );
  });

  it('rejects topK 0', () => {
    const model = createTransformer(tiny, createRng(1));
    expect(() =>
      generate(model, [0], { length: 1, temperature: 1, topK: 0 }, createRng(1)),
    ).toThrow('generate: topK is 0; it must be a positive integer');
  });
});
