/**
 * The live page's animation, 800 x 450: planets orbiting a sun over a night sky, a frame counter and
 * who drew the frame. Painted on a PaintContext, so it records into a display list for the GPU
 * process (and unit tests draw it directly with Skia to compare). About 250 ops a frame.
 */
import type { PaintContext } from '../tab-runtime/index.ts';

export const SCENE_WIDTH = 800;
export const SCENE_HEIGHT = 450;

export interface SceneInfo {
  /** Frames drawn so far (the counter shown). */
  readonly frame: number;
  /** Milliseconds since the animation started: positions follow time, not frames, so drops do not slow it. */
  readonly time: number;
  /** How the frame is composited, for the caption. */
  readonly mode: 'hardware' | 'software' | 'none';
  readonly gpuPid?: number | undefined;
}

const CX = SCENE_WIDTH / 2;
const CY = 205;
const TILT = 0.38;

interface Planet {
  readonly orbit: number;
  readonly radius: number;
  /** Turns per second. */
  readonly speed: number;
  readonly phase: number;
  readonly light: string;
  readonly dark: string;
  readonly moon?: boolean;
}

const PLANETS: readonly Planet[] = [
  { orbit: 110, radius: 11, speed: 0.23, phase: 0.4, light: '#8ab4f8', dark: '#1a4fa3' },
  { orbit: 190, radius: 17, speed: 0.13, phase: 2.1, light: '#81c995', dark: '#0d652d', moon: true },
  { orbit: 280, radius: 13, speed: 0.08, phase: 4.0, light: '#f6aea9', dark: '#a50e0e' },
  { orbit: 350, radius: 22, speed: 0.05, phase: 5.3, light: '#fdd663', dark: '#b06000' },
];

/** Fixed pseudo-random stars: [x, y, size, twinkle phase]. */
const STARS: readonly (readonly [number, number, number, number])[] = Array.from({ length: 48 }, (_, index) => {
  const random = (salt: number) => {
    const x = Math.sin(index * 12.9898 + salt * 78.233) * 43758.5453;
    return x - Math.floor(x);
  };
  return [random(1) * SCENE_WIDTH, random(2) * (SCENE_HEIGHT - 60), 0.6 + random(3) * 1.4, random(4) * Math.PI * 2];
});

export function paintLiveScene(ctx: PaintContext, { frame, time, mode, gpuPid }: SceneInfo): void {
  const seconds = time / 1000;

  const sky = ctx.createLinearGradient(0, 0, 0, SCENE_HEIGHT);
  sky.addColorStop(0, '#0b1b3a');
  sky.addColorStop(1, '#1d3768');
  ctx.fillStyle = sky;
  ctx.fillRect(0, 0, SCENE_WIDTH, SCENE_HEIGHT);

  ctx.fillStyle = '#ffffff';
  for (const [x, y, size, phase] of STARS) {
    ctx.globalAlpha = 0.35 + (0.35 * (1 + Math.sin(seconds * 1.7 + phase))) / 2;
    ctx.beginPath();
    ctx.arc(x, y, size, 0, Math.PI * 2);
    ctx.fill();
  }
  ctx.globalAlpha = 1;

  // Orbits: circles squashed into ellipses; stroked after restore so the line keeps its width.
  ctx.strokeStyle = 'rgba(174, 203, 250, 0.22)';
  ctx.lineWidth = 1.5;
  for (const planet of PLANETS) {
    ctx.save();
    ctx.translate(CX, CY);
    ctx.scale(1, TILT);
    ctx.beginPath();
    ctx.arc(0, 0, planet.orbit, 0, Math.PI * 2);
    ctx.restore();
    ctx.stroke();
  }

  // Planets behind the sun first (upper half of their orbit), then the sun, then the ones in front.
  const placed = PLANETS.map((planet) => {
    const angle = planet.phase + seconds * planet.speed * Math.PI * 2;
    return {
      planet,
      angle,
      x: CX + Math.cos(angle) * planet.orbit,
      y: CY + Math.sin(angle) * planet.orbit * TILT,
      depth: Math.sin(angle),
    };
  }).sort((a, b) => a.depth - b.depth);
  for (const body of placed) if (body.depth < 0) paintPlanet(ctx, body, seconds);
  paintSun(ctx, seconds);
  for (const body of placed) if (body.depth >= 0) paintPlanet(ctx, body, seconds);

  // A ring that fills once a second: smooth when every frame arrives, jerky when frames are dropped.
  const sweep = (seconds % 1) * Math.PI * 2;
  ctx.strokeStyle = 'rgba(255, 255, 255, 0.15)';
  ctx.lineWidth = 4;
  ctx.beginPath();
  ctx.arc(SCENE_WIDTH - 44, 44, 18, 0, Math.PI * 2);
  ctx.stroke();
  ctx.strokeStyle = '#8ab4f8';
  ctx.beginPath();
  ctx.arc(SCENE_WIDTH - 44, 44, 18, -Math.PI / 2, -Math.PI / 2 + sweep);
  ctx.stroke();

  // Caption bar.
  ctx.fillStyle = 'rgba(8, 18, 40, 0.72)';
  ctx.fillRect(0, SCENE_HEIGHT - 52, SCENE_WIDTH, 52);
  ctx.fillStyle = '#ffffff';
  ctx.font = 'bold 22px sans-serif';
  ctx.textAlign = 'left';
  ctx.fillText(`frame ${frame}`, 20, SCENE_HEIGHT - 19);
  ctx.fillStyle = '#aecbfa';
  ctx.font = '15px sans-serif';
  ctx.textAlign = 'right';
  const by =
    mode === 'hardware'
      ? `rasterized by the GPU process${gpuPid === undefined ? '' : ` (pid ${gpuPid})`}`
      : mode === 'software'
        ? 'rasterized by this tab (software compositing)'
        : 'no compositor';
  ctx.fillText(by, SCENE_WIDTH - 20, SCENE_HEIGHT - 20);
}

function paintSun(ctx: PaintContext, seconds: number): void {
  const pulse = 1 + 0.04 * Math.sin(seconds * 2.2);
  const glow = ctx.createRadialGradient(CX, CY, 10, CX, CY, 95 * pulse);
  glow.addColorStop(0, 'rgba(253, 214, 99, 0.55)');
  glow.addColorStop(1, 'rgba(253, 214, 99, 0)');
  ctx.fillStyle = glow;
  ctx.beginPath();
  ctx.arc(CX, CY, 95 * pulse, 0, Math.PI * 2);
  ctx.fill();
  const core = ctx.createRadialGradient(CX - 12, CY - 12, 4, CX, CY, 42);
  core.addColorStop(0, '#fff8e1');
  core.addColorStop(0.6, '#fcc934');
  core.addColorStop(1, '#f29900');
  ctx.fillStyle = core;
  ctx.beginPath();
  ctx.arc(CX, CY, 42, 0, Math.PI * 2);
  ctx.fill();
}

function paintPlanet(
  ctx: PaintContext,
  body: { planet: Planet; x: number; y: number; depth: number },
  seconds: number,
): void {
  const { planet, x, y, depth } = body;
  // Nearer (lower on screen) is a little larger.
  const r = planet.radius * (0.85 + 0.15 * depth);
  const shade = ctx.createRadialGradient(x - r * 0.4, y - r * 0.4, r * 0.1, x, y, r);
  shade.addColorStop(0, planet.light);
  shade.addColorStop(1, planet.dark);
  ctx.fillStyle = shade;
  ctx.beginPath();
  ctx.arc(x, y, r, 0, Math.PI * 2);
  ctx.fill();
  if (planet.moon) {
    const angle = seconds * 1.1 * Math.PI * 2;
    ctx.fillStyle = '#e8eaed';
    ctx.beginPath();
    ctx.arc(x + Math.cos(angle) * (r + 12), y + Math.sin(angle) * (r + 12) * 0.6, 4, 0, Math.PI * 2);
    ctx.fill();
  }
}
