/**
 * Edge: the benchmark case for lesson 4: one training step of the lesson's transformer on one
 * window of the training sonnets (forward, cross-entropy at every position, backward, gradient
 * clipping and an Adam update under the warm-up schedule). The lesson's steps average
 * TRANSFORMER_SETTINGS.batchSize such windows, so its steps per second are this rate divided
 * by the batch size.
 */
import { nodeIO } from '../../cli/io.js';
import { splitSonnets } from '../../data/sonnets.js';
import { buildVocabulary, encode } from '../../data/tokenizer.js';
import { TRANSFORMER_SETTINGS } from '../../lessons/transformer.js';
import {
  createTrainer,
  createTransformer,
  sampleBatch,
  trainStep,
  type Batch,
} from '../../models/transformer.js';
import { createRng } from '../../primitives/random.js';
import type { BenchCase } from '../harness.js';

/** Windows cycled through, cut at seeded random places in the training sonnets. */
const WINDOW_COUNT = 32;

export const transformerCase: BenchCase = {
  model: 'Transformer (lesson 4)',
  workload:
    `one Adam step on one window of ${TRANSFORMER_SETTINGS.seqLen} characters ` +
    `(dModel ${TRANSFORMER_SETTINGS.dModel}, ${TRANSFORMER_SETTINGS.numLayers} blocks, ` +
    `${TRANSFORMER_SETTINGS.numHeads} heads)`,
  unit: 'windows/s',
  unitsPerCall: 1,
  ours: {
    name: 'modelwerk',
    async setup() {
      const settings = TRANSFORMER_SETTINGS;
      const split = splitSonnets(await nodeIO.sonnets(), settings.firstValidationSonnet);
      const vocabulary = buildVocabulary(split.trainText + split.validationText);
      const text = encode(vocabulary, split.trainText);
      const rng = createRng(1);
      const { dModel, numHeads, numLayers, dFF, seqLen } = settings;
      const config = {
        vocabSize: vocabulary.characters.length,
        dModel,
        numHeads,
        numLayers,
        dFF,
        maxSeqLen: seqLen,
      };
      const trainer = createTrainer(createTransformer(config, rng), {
        ...settings,
        optimizer: 'adam',
      });
      const windows: Batch[] = Array.from({ length: WINDOW_COUNT }, () =>
        sampleBatch(text, 1, seqLen, rng),
      );
      let n = 0;
      return () => {
        trainStep(trainer, windows[n]);
        n = (n + 1) % WINDOW_COUNT;
      };
    },
  },
};
