/**
 * Layer 4: the lessons in curriculum order. Each lesson file adds itself here.
 */
import type { Lesson } from './lesson.js';
import { backpropLesson } from './backprop.js';
import { lenet5Lesson } from './lenet5.js';
import { perceptronLesson } from './perceptron.js';
import { transformerLesson } from './transformer.js';

export const lessons: Lesson[] = [
  perceptronLesson,
  backpropLesson,
  lenet5Lesson,
  transformerLesson,
];
