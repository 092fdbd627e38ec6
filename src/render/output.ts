/**
 * Edge: writes a lesson's transcript and charts into its output folder.
 */
import { join } from 'node:path';
import type { MarkdownNarrator } from './markdown.js';

/** Writes a text file; the CLI passes its atomic writer. */
export type WriteText = (path: string, text: string) => Promise<void>;

/**
 * Renders every chart the narrator recorded to `<folder>/<name>.svg`, then writes
 * `<folder>/transcript.md`, which links to them.
 *
 * @returns the paths written, charts first
 */
export async function writeLessonOutput(
  folder: string,
  narrator: MarkdownNarrator,
  write: WriteText,
): Promise<string[]> {
  const written: string[] = [];
  // Vega takes about half a second to load, so commands that draw no chart skip it.
  const { renderChartSvg } = await import('./charts.js');
  for (const file of narrator.charts) {
    const path = join(folder, file.fileName);
    await write(path, await renderChartSvg(file.chart, file.title));
    written.push(path);
  }
  const transcript = join(folder, 'transcript.md');
  await write(transcript, narrator.toMarkdown());
  written.push(transcript);
  return written;
}
