/**
 * `clock`: a ticker. Renders the time and a tick count every `intervalMs` (default 1000, clamped to
 * 50..60000), as a small clock face (display list, the default) or as text (`style=text`).
 * Command `reset` sets the count back to zero.
 */
import type { PaintOp } from '../../protocol/interfaces/display-list.ts';
import { CodedError, definePlugin, integerParam, PluginChannelErrorCode, type PluginContent } from '../plugin.ts';

const SIZE = 160;

export const clock = definePlugin({
  name: 'clock',
  description:
    'A ticker: the time and a tick count, redrawn every intervalMs (default 1000). Params: intervalMs, style=face|text. Command: reset.',
  create(context) {
    const intervalMs = integerParam(context.params, 'intervalMs', { fallback: 1000, min: 50, max: 60_000 });
    const style = context.params.get('style') ?? 'face';
    if (style !== 'face' && style !== 'text')
      throw new CodedError(
        PluginChannelErrorCode.PLUGIN_BAD_PARAM,
        `param style must be face or text, not ${JSON.stringify(style)}`,
      );
    let ticks = 0;
    const draw = () => context.render(style === 'text' ? clockText(new Date(), ticks) : clockFace(new Date(), ticks));
    draw();
    context.setInterval(() => {
      ticks++;
      draw();
    }, intervalMs);
    return {
      commands: {
        reset() {
          ticks = 0;
          draw();
          return 'reset';
        },
      },
    };
  },
});

function timeOfDay(now: Date): string {
  return now.toTimeString().slice(0, 8); // HH:MM:SS
}

export function clockText(now: Date, ticks: number): PluginContent {
  return { kind: 'text', text: `${timeOfDay(now)} · tick ${ticks}` };
}

/** A clock face with three hands, the time and the tick count. */
export function clockFace(now: Date, ticks: number): PluginContent {
  const c = SIZE / 2;
  const r = c - 8;
  const seconds = now.getSeconds() + now.getMilliseconds() / 1000;
  const minutes = now.getMinutes() + seconds / 60;
  const hours = (now.getHours() % 12) + minutes / 60;
  const hand = (turns: number, length: number, width: number, color: string): PaintOp[] => {
    const angle = turns * 2 * Math.PI - Math.PI / 2;
    return [
      { op: 'strokeStyle', color },
      { op: 'lineWidth', width },
      { op: 'beginPath' },
      { op: 'moveTo', x: c, y: c },
      { op: 'lineTo', x: c + Math.cos(angle) * length, y: c + Math.sin(angle) * length },
      { op: 'stroke' },
    ];
  };
  const marks: PaintOp[] = [{ op: 'strokeStyle', color: '#555' }, { op: 'lineWidth', width: 2 }, { op: 'beginPath' }];
  for (let hour = 0; hour < 12; hour++) {
    const angle = (hour / 12) * 2 * Math.PI;
    marks.push(
      { op: 'moveTo', x: c + Math.cos(angle) * (r - 8), y: c + Math.sin(angle) * (r - 8) },
      { op: 'lineTo', x: c + Math.cos(angle) * r, y: c + Math.sin(angle) * r },
    );
  }
  marks.push({ op: 'stroke' });
  const ops: PaintOp[] = [
    { op: 'clearRect', x: 0, y: 0, w: SIZE, h: SIZE },
    { op: 'fillStyle', color: '#fdfdf8' },
    { op: 'beginPath' },
    { op: 'arc', x: c, y: c, r, start: 0, end: 2 * Math.PI },
    { op: 'fill' },
    { op: 'strokeStyle', color: '#333' },
    { op: 'lineWidth', width: 3 },
    { op: 'stroke' },
    ...marks,
    { op: 'fillStyle', color: '#333' },
    { op: 'font', font: '12px sans-serif' },
    { op: 'textAlign', align: 'center' },
    { op: 'fillText', text: timeOfDay(now), x: c, y: c + r / 2 },
    { op: 'fillText', text: `tick ${ticks}`, x: c, y: c - r / 2 + 12 },
    ...hand(hours / 12, r * 0.5, 4, '#333'),
    ...hand(minutes / 60, r * 0.75, 3, '#333'),
    ...hand(seconds / 60, r * 0.85, 1, '#c00'),
  ];
  return { kind: 'display-list', list: { width: SIZE, height: SIZE, ops } };
}
