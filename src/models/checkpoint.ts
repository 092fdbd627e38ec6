/**
 * Layer 2: saving trained weights as JSON and loading them back into a model of the same
 * shape.
 *
 * A checkpoint is one JSON object:
 *
 *   { "format": "modelwerk-checkpoint", "version": 1, "model": "lenet5",
 *     "config": { ...what the model was created with... },
 *     "parameters": { "c1.weights": { "shape": [6, 1, 5, 5], "values": [...flat...] }, ... } }
 *
 * JSON prints each double in the shortest form that reads back to the same double, so a
 * saved and restored model computes exactly what the original did.
 */
import { leafRows, shapeOf, type Parameter } from '../blocks/parameters.js';
import { UserError } from '../primitives/errors.js';

const FORMAT = 'modelwerk-checkpoint';
const VERSION = 1;

/** Cause and fix for a missing or misshapen parameter, when the checkpoint contradicts itself. */
const MISMATCH_FIX =
  'the file does not match the network its config describes, so it is damaged or was ' +
  "written by another version of modelwerk; write a new one with the lesson's --save option";

interface StoredParameter {
  shape: number[];
  values: number[];
}

/** Serializes a model's parameters and creation config to JSON text. */
export function serializeCheckpoint(
  model: string,
  config: object,
  parameters: readonly Parameter[],
): string {
  const stored: Record<string, StoredParameter> = {};
  for (const p of parameters) {
    const values: number[] = [];
    for (const row of leafRows(p.value)) {
      for (const v of row) values.push(v);
    }
    stored[p.name] = { shape: shapeOf(p.value), values };
  }
  return JSON.stringify({ format: FORMAT, version: VERSION, model, config, parameters: stored });
}

/**
 * Reads the model name and config of a checkpoint without touching any parameters, so a
 * caller can create a model of the right size before calling `restoreCheckpoint`.
 * @param source names the checkpoint in error messages, usually its file path
 * @throws UserError when the text is not a modelwerk checkpoint for `model`
 */
export function readCheckpointConfig(text: string, model: string, source: string): unknown {
  return parseCheckpoint(text, model, source).config;
}

/**
 * Copies a checkpoint's values into the parameters' arrays, which must have the stored
 * shapes. Returns the stored config. The error messages assume that the caller created the
 * model from the config that `readCheckpointConfig` read from the same checkpoint.
 * @param source names the checkpoint in error messages, usually its file path
 * @throws UserError when the text is not a modelwerk checkpoint for `model`, or a parameter
 *   is missing or has another shape
 */
export function restoreCheckpoint(
  text: string,
  model: string,
  parameters: readonly Parameter[],
  source = 'checkpoint',
): unknown {
  const checkpoint = parseCheckpoint(text, model, source);
  for (const p of parameters) {
    const stored = checkpoint.parameters[p.name];
    if (stored === undefined) {
      throw new UserError(`${source}: parameter ${p.name} is missing; ${MISMATCH_FIX}`);
    }
    const shape = shapeOf(p.value);
    if (!Array.isArray(stored.shape) || stored.shape.join() !== shape.join()) {
      throw new UserError(
        `${source}: parameter ${p.name} has shape (${[stored.shape].flat().join(', ')}) but the model ` +
          `expects (${shape.join(', ')}); ${MISMATCH_FIX}`,
      );
    }
    const count = shape.reduce((a, b) => a * b, 1);
    if (!Array.isArray(stored.values) || stored.values.length !== count) {
      throw new UserError(
        `${source}: parameter ${p.name} should hold ${count} values; the file is damaged`,
      );
    }
    let k = 0;
    for (const row of leafRows(p.value)) {
      for (let i = 0; i < row.length; i++) {
        const v = stored.values[k++];
        if (typeof v !== 'number' || !Number.isFinite(v)) {
          throw new UserError(
            `${source}: parameter ${p.name} contains ${String(v)}, which is not a finite number; ` +
              'the file is damaged',
          );
        }
        row[i] = v;
      }
    }
  }
  return checkpoint.config;
}

interface Checkpoint {
  model: string;
  config: unknown;
  parameters: Record<string, StoredParameter>;
}

function parseCheckpoint(text: string, model: string, source: string): Checkpoint {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UserError(
      `${source} is not JSON, so it is not a modelwerk checkpoint; pass a file written by a ` +
        "lesson's --save option",
    );
  }
  const record = parsed as Partial<Checkpoint> & { format?: unknown; version?: unknown };
  if (typeof parsed !== 'object' || parsed === null || record.format !== FORMAT) {
    throw new UserError(`${source} is not a modelwerk checkpoint; save one with --save FILE`);
  }
  if (record.version !== VERSION) {
    throw new UserError(
      `${source} has checkpoint version ${String(record.version)}; this modelwerk reads ` +
        `version ${VERSION}`,
    );
  }
  if (record.model !== model) {
    throw new UserError(
      `${source} contains a ${String(record.model)} model, not ${model}; load it in its own lesson`,
    );
  }
  if (typeof record.parameters !== 'object' || record.parameters === null) {
    throw new UserError(`${source} has no parameters; the file is damaged`);
  }
  return record as Checkpoint;
}
