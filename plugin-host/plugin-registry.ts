/** The plugins a host can run, by name. */
import type { Plugin } from './plugin.ts';
import { pluginError } from './plugin.ts';

export class PluginRegistry {
  private readonly plugins = new Map<string, Plugin>();

  constructor(plugins: readonly Plugin[]) {
    for (const plugin of plugins) {
      if (this.plugins.has(plugin.name)) throw new Error(`two plugins are named ${plugin.name}`);
      this.plugins.set(plugin.name, plugin);
    }
  }

  /** Name and description of each plugin, for listPlugins. */
  list(): Array<{ name: string; description: string }> {
    return [...this.plugins.values()].map(({ name, description }) => ({ name, description }));
  }

  /** The plugin called `name`, or a PLUGIN_UNKNOWN error that lists the plugins there are. */
  get(name: string): Plugin {
    const plugin = this.plugins.get(name);
    if (plugin) return plugin;
    throw pluginError('PLUGIN_UNKNOWN', `no plugin named ${JSON.stringify(name)}; available: ${[...this.plugins.keys()].join(', ')}`);
  }
}
