// A test narrator shared by the lesson tests.
import type { Narrator, Section } from '../../src/lessons/narrator.js';

/** Creates a narrator that records sections and progress lines as text, in order. */
export function recordingNarrator(): Narrator & { text(): string; sections: Section[] } {
  const sections: Section[] = [];
  const lines: string[] = [];
  return {
    sections,
    emit(section) {
      sections.push(section);
      lines.push(JSON.stringify(section));
    },
    progress(label) {
      return {
        update(report) {
          if (report.line !== undefined) lines.push(`${label}: ${report.line}`);
        },
        finish() {},
      };
    },
    text: () => lines.join('\n'),
  };
}
