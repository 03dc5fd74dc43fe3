/** The plugins this host ships. A new built-in plugin is one file in this folder and one line here. */
import type { Plugin } from '../plugin.ts';
import { clock } from './clock.ts';
import { cpuHog } from './cpu-hog.ts';
import { crasher } from './crasher.ts';

export const builtinPlugins: readonly Plugin[] = [clock, crasher, cpuHog];
