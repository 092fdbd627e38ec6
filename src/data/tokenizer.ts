/**
 * Layer 3: a character vocabulary, the simplest tokenizer. Each distinct character of the
 * text is one token, numbered in code-point order, so the model predicts one character at a
 * time and can spell any word made of those characters.
 */
import { UserError } from '../primitives/errors.js';

/** The characters a model can read and write, and the id of each. */
export interface Vocabulary {
  /** The characters in code-point order; a token's id is its index here. */
  characters: string[];
  /** The id of each character. */
  ids: Map<string, number>;
}

/** Builds the vocabulary of every distinct character (code point) in `text`. */
export function buildVocabulary(text: string): Vocabulary {
  const characters = [...new Set(text)].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
  const ids = new Map(characters.map((character, id) => [character, id]));
  return { characters, ids };
}

/**
 * Encodes text as token ids.
 * @param source - names the text in the error message, for example `--prompt "Sweet love"`
 * @throws UserError listing every character of the text that is not in the vocabulary
 */
export function encode(vocabulary: Vocabulary, text: string, source = 'the text'): number[] {
  const ids: number[] = [];
  const unknown = new Set<string>();
  for (const character of text) {
    const id = vocabulary.ids.get(character);
    if (id === undefined) unknown.add(character);
    else ids.push(id);
  }
  if (unknown.size > 0) {
    const listed = [...unknown].map((character) => JSON.stringify(character)).join(', ');
    const known = vocabulary.characters.filter((character) => character !== '\n').join('');
    throw new UserError(
      `${source} contains characters outside the vocabulary: ${listed}; use only newline and ` +
        `these characters: ${JSON.stringify(known)}`,
    );
  }
  return ids;
}

/**
 * Decodes token ids back to text.
 * @throws RangeError when an id is not an integer in [0, vocabulary size)
 */
export function decode(vocabulary: Vocabulary, ids: readonly number[]): string {
  const size = vocabulary.characters.length;
  let text = '';
  for (const id of ids) {
    if (!Number.isInteger(id) || id < 0 || id >= size) {
      throw new RangeError(`decode: id ${id} is not in [0, ${size}), the vocabulary's ids`);
    }
    text += vocabulary.characters[id];
  }
  return text;
}
