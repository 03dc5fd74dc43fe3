// Every guided tour, in the order the Tours menu lists them.
import { badMessagesTour } from './bad-messages.ts';
import { crashIsolationTour } from './crash-isolation.ts';
import { gpuProcessTour } from './gpu-process.ts';
import type { Tour } from './model.ts';
import { pluginsTour } from './plugins.ts';
import { processModelTour } from './process-model.ts';

export const TOURS: readonly Tour[] = [
  crashIsolationTour,
  gpuProcessTour,
  pluginsTour,
  badMessagesTour,
  processModelTour,
];

export function tourById(id: string): Tour | undefined {
  return TOURS.find((tour) => tour.id === id);
}
