// The registry: what listPlugins can carry is checked when the host starts, not when a tab asks.
import { expect, it } from 'vitest';
import { PluginRegistry } from './plugin-registry.ts';
import { builtinPlugins } from './plugins/index.ts';

it('refuses at startup a registry that listPlugins could not carry', () => {
  const named = (name: string, description = 'fine') => ({ name, description, create: () => ({}) });
  expect(() => new PluginRegistry([named('x'.repeat(65))])).toThrow(/maxLength|characters|length/i);
  expect(() => new PluginRegistry([named('long', 'd'.repeat(257))])).toThrow(/description/);
  expect(() => new PluginRegistry([named('twice'), named('twice')])).toThrow(/two plugins are named twice/);
  expect(() => new PluginRegistry(Array.from({ length: 65 }, (_, i) => named(`p${i}`)))).toThrow(
    /listPlugins cannot carry/,
  );
});

it('names the available plugins when asked for one it does not have', () => {
  const registry = new PluginRegistry(builtinPlugins);
  expect(registry.get('clock').name).toBe('clock');
  expect(() => registry.get('toString')).toThrow(
    expect.objectContaining({
      code: 'PLUGIN_UNKNOWN',
      message: expect.stringMatching(/available: clock, crasher, cpu-hog$/),
    }),
  );
});
