/**
 * Edge: a narrator that passes every section and progress report on to several narrators, so
 * one run prints to the terminal and records the transcript at once.
 */
import type { Narrator, Progress } from '../lessons/narrator.js';

/** Creates a narrator that forwards to each of `narrators`, in order. */
export function teeNarrator(narrators: readonly Narrator[]): Narrator {
  return {
    emit(section) {
      for (const narrator of narrators) narrator.emit(section);
    },
    progress(label, total): Progress {
      const displays = narrators.map((narrator) => narrator.progress(label, total));
      return {
        update(report) {
          for (const display of displays) display.update(report);
        },
        finish() {
          for (const display of displays) display.finish();
        },
      };
    },
  };
}
