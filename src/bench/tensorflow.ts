/**
 * Edge: loads the TensorFlow.js peer of the benchmarks (tfjs-core on its pure-JavaScript CPU
 * backend), shared by every case that times it.
 */
import { register } from 'node:module';

/**
 * Resolves the extensionless relative imports inside @tensorflow/tfjs-core's ES module build,
 * which a bundler accepts and Node does not: `./x` is tried as `./x.js`, then `./x/index.js`.
 */
const TFJS_RESOLVE_HOOK = `
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    const unresolved =
      error.code === 'ERR_MODULE_NOT_FOUND' || error.code === 'ERR_UNSUPPORTED_DIR_IMPORT';
    const insideTfjs = context.parentURL !== undefined && context.parentURL.includes('/@tensorflow/');
    if (!unresolved || !specifier.startsWith('.') || !insideTfjs) throw error;
    try {
      return await next(specifier + '.js', context);
    } catch {
      return next(specifier + '/index.js', context);
    }
  }
}`;

let tensorflow: Promise<typeof import('@tensorflow/tfjs-core')> | undefined;

/**
 * Loads TensorFlow.js on its CPU backend, with gradients, once per process. The Node bundle of
 * tfjs-core registers no gradients (the umbrella package @tensorflow/tfjs does that), so this
 * imports tfjs-core's own dist/register_all_gradients.js through the resolve hook above. The
 * gradients land in tfjs's global registry, which the Node bundle reads too.
 */
export function loadTensorflow(): Promise<typeof import('@tensorflow/tfjs-core')> {
  tensorflow ??= (async () => {
    register(`data:text/javascript,${encodeURIComponent(TFJS_RESOLVE_HOOK)}`);
    const tf = await import('@tensorflow/tfjs-core');
    await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
    await import('@tensorflow/tfjs-backend-cpu');
    await tf.setBackend('cpu');
    return tf;
  })();
  return tensorflow;
}
