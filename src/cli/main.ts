/**
 * Edge: the entry point of the `modelwerk` command (bin/modelwerk.js imports this file).
 */
import { lessons } from '../lessons/index.js';
import { runCli } from './program.js';

// A closed pipe, as in `modelwerk list | head -1`, is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

process.exitCode = await runCli(process.argv.slice(2), lessons);
