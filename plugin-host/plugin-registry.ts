/** The plugins a host can run, by name. */
import { PluginHostService, PluginInfo } from '../protocol/interfaces/browser-plugin-host.ts';
import { compileChecker } from '../protocol/rpc/schema.ts';
import { CodedError, PluginChannelErrorCode, type Plugin } from './plugin.ts';

const infoChecker = compileChecker(PluginInfo);
const listChecker = compileChecker(PluginHostService.methods.listPlugins.response);

export class PluginRegistry {
  private readonly plugins = new Map<string, Plugin>();

  /** Throws for a plugin listPlugins could not carry (name or description too long, too many). */
  constructor(plugins: readonly Plugin[]) {
    for (const plugin of plugins) {
      const info = { name: plugin.name, description: plugin.description };
      if (!infoChecker.check(info)) throw new Error(`plugin ${plugin.name}: ${infoChecker.explain(info)}`);
      if (this.plugins.has(plugin.name)) throw new Error(`two plugins are named ${plugin.name}`);
      this.plugins.set(plugin.name, plugin);
    }
    const list = { plugins: this.list() };
    if (!listChecker.check(list))
      throw new Error(`listPlugins cannot carry these plugins: ${listChecker.explain(list)}`);
  }

  /** Name and description of each plugin, for listPlugins. */
  list(): Array<{ name: string; description: string }> {
    return [...this.plugins.values()].map(({ name, description }) => ({ name, description }));
  }

  /** The plugin called `name`, or a PLUGIN_UNKNOWN error that lists the plugins there are. */
  get(name: string): Plugin {
    const plugin = this.plugins.get(name);
    if (plugin) return plugin;
    throw new CodedError(
      PluginChannelErrorCode.PLUGIN_UNKNOWN,
      `no plugin named ${JSON.stringify(name)}; available: ${[...this.plugins.keys()].join(', ')}`,
    );
  }
}
