/**
 * Layer 2: character n-gram language models with interpolated Witten-Bell smoothing, the
 * counting baseline that the transformer lesson sets its model beside.
 *
 * An order-n model predicts the next token from the n - 1 tokens before it, by counting how
 * often each token followed that context in the training text. Raw counts give probability 0
 * to anything not seen after a context, and one such token on held-out text makes the loss
 * infinite. Interpolation mixes each order with the order below it:
 *
 *   P_n(c | h) = (C(h c) + T(h) * P_(n-1)(c | h')) / (C(h) + T(h))
 *
 * where h is the context of n - 1 tokens, h' is h without its oldest token, C(h c) counts c
 * after h, C(h) counts h, and T(h) is the number of distinct tokens seen after h. The
 * recursion ends at the uniform distribution 1 / vocabSize. Witten-Bell's choice of weight
 * T(h) trusts a context that has been followed by few distinct tokens many times, and leans
 * on the shorter context when a context keeps being followed by new tokens. A context never
 * seen in training contributes nothing, so the longest seen context decides.
 *
 * Legend: order n (1 = unigram, 3 = trigram), vocabSize tokens.
 */
import type { Vector } from '../primitives/shapes.js';

/** How often each token followed one context. */
interface ContextCounts {
  /** C(h), the number of times the context occurred with a token after it. */
  total: number;
  /** C(h c) for each token c seen after the context; its size is T(h). */
  next: Map<number, number>;
}

/** A fitted n-gram model. */
export interface NgramModel {
  order: number;
  vocabSize: number;
  /** counts[m] maps each context of m tokens, encoded as one number, to its counts. */
  counts: Map<number, ContextCounts>[];
}

/**
 * Counts every context of 0 to order - 1 tokens in the training tokens.
 * @throws RangeError when the order is not a positive integer, its contexts do not fit in
 *   exact integer keys, or a token is out of range
 */
export function fitNgram(tokens: readonly number[], order: number, vocabSize: number): NgramModel {
  if (!Number.isInteger(order) || order < 1) {
    throw new RangeError(`fitNgram: order is ${order}; it must be a positive integer`);
  }
  // A context of order - 1 tokens in base vocabSize + 1 must stay an exact integer in a double.
  if ((vocabSize + 1) ** (order - 1) > Number.MAX_SAFE_INTEGER) {
    throw new RangeError(
      `fitNgram: order ${order} with vocabSize ${vocabSize} has more contexts than exact ` +
        'integer keys; use a lower order',
    );
  }
  for (let i = 0; i < tokens.length; i++) {
    if (!Number.isInteger(tokens[i]) || tokens[i] < 0 || tokens[i] >= vocabSize) {
      throw new RangeError(
        `fitNgram: token ${i} is ${tokens[i]}; ids must be integers in [0, ${vocabSize})`,
      );
    }
  }
  const counts: Map<number, ContextCounts>[] = [];
  for (let m = 0; m < order; m++) {
    const table = new Map<number, ContextCounts>();
    for (let i = m; i < tokens.length; i++) {
      const key = contextKey(tokens, i, m, vocabSize);
      let entry = table.get(key);
      if (entry === undefined) {
        entry = { total: 0, next: new Map() };
        table.set(key, entry);
      }
      entry.total++;
      entry.next.set(tokens[i], (entry.next.get(tokens[i]) ?? 0) + 1);
    }
    counts.push(table);
  }
  return { order, vocabSize, counts };
}

/**
 * Computes P(next token | the tokens before `position`) for every token, using up to
 * order - 1 tokens of context; fewer at the start of the array.
 * @param out - receives the distribution (vocabSize)
 */
export function ngramDistribution(
  model: NgramModel,
  tokens: readonly number[],
  position: number,
  out: Vector,
): Vector {
  out.fill(1 / model.vocabSize);
  for (let m = 0; m < model.order && m <= position; m++) {
    const entry = model.counts[m].get(contextKey(tokens, position, m, model.vocabSize));
    if (entry === undefined) break; // a longer context containing this one is unseen too
    const distinct = entry.next.size;
    for (let c = 0; c < out.length; c++) {
      const count = entry.next.get(c) ?? 0;
      out[c] = (count + distinct * out[c]) / (entry.total + distinct);
    }
  }
  return out;
}

/**
 * Computes the mean negative log-likelihood, in nats per token, of every token of `tokens`
 * given the ones before it.
 * @throws RangeError when the array is empty
 */
export function ngramLoss(model: NgramModel, tokens: readonly number[]): number {
  if (tokens.length === 0) {
    throw new RangeError('ngramLoss: tokens is empty; pass at least one token');
  }
  let total = 0;
  for (let i = 0; i < tokens.length; i++) {
    total -= Math.log(probabilityOf(model, tokens, i));
  }
  return total / tokens.length;
}

/** P(tokens[position] | context), the one entry of ngramDistribution that the loss needs. */
function probabilityOf(model: NgramModel, tokens: readonly number[], position: number): number {
  const target = tokens[position];
  let p = 1 / model.vocabSize;
  for (let m = 0; m < model.order && m <= position; m++) {
    const entry = model.counts[m].get(contextKey(tokens, position, m, model.vocabSize));
    if (entry === undefined) break;
    const count = entry.next.get(target) ?? 0;
    p = (count + entry.next.size * p) / (entry.total + entry.next.size);
  }
  return p;
}

/** Encodes the m tokens before `position` as one number in base vocabSize + 1. */
function contextKey(tokens: readonly number[], position: number, m: number, vocabSize: number) {
  let key = 0;
  for (let j = position - m; j < position; j++) key = key * (vocabSize + 1) + tokens[j] + 1;
  return key;
}
