/**
 * The resource-allocation graph drawn by hand in SVG: a graph of at most 16 threads and 16
 * resources on a circle needs no layout engine (React Flow is the browser UI's, and lab pages are
 * plain DOM). Threads are circles, resources squares; assignment edges run resource -> holder, request
 * edges (dashed) thread -> resource; what lies on a cycle is drawn in the cycle colour.
 */
import type { AllocationGraph, GraphNode } from './deadlock-view-model.ts';

const SVG = 'http://www.w3.org/2000/svg';

function el<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number>,
  ...children: (SVGElement | string)[]
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  element.append(...children);
  return element;
}

const NODE_RADIUS = 16;

/** `label`: the figure's accessible name; `shortName` shortens a node's name for its label. */
export function allocationGraphSvg(
  graph: AllocationGraph,
  label: string,
  shortName: (node: GraphNode) => string,
): SVGSVGElement {
  const byKey = new Map(graph.nodes.map((node) => [node.key, node]));
  const svg = el('svg', {
    viewBox: `0 0 ${graph.width} ${graph.height}`,
    width: graph.width,
    height: graph.height,
    role: 'img',
    'aria-label': label,
    class: 'allocation-graph',
  });
  const defs = el('defs', {});
  for (const [id, colour] of [
    ['arrow', '#5f6368'],
    ['arrow-cycle', '#c5221f'],
  ] as const)
    defs.append(
      el(
        'marker',
        { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
        el('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: colour }),
      ),
    );
  svg.append(defs);
  for (const edge of graph.edges) {
    const from = byKey.get(edge.from)!;
    const to = byKey.get(edge.to)!;
    const dx = to.x - from.x;
    const dy = to.y - from.y;
    const length = Math.hypot(dx, dy) || 1;
    const [ux, uy] = [dx / length, dy / length];
    const pad = NODE_RADIUS + 3;
    svg.append(
      el('line', {
        x1: from.x + ux * pad,
        y1: from.y + uy * pad,
        x2: to.x - ux * pad,
        y2: to.y - uy * pad,
        class: `edge ${edge.kind}${edge.onCycle ? ' on-cycle' : ''}`,
        'data-edge': edge.kind,
        'data-on-cycle': String(edge.onCycle),
        'marker-end': `url(#${edge.onCycle ? 'arrow-cycle' : 'arrow'})`,
      }),
    );
  }
  for (const node of graph.nodes) {
    const shape =
      node.kind === 'thread'
        ? el('circle', { cx: node.x, cy: node.y, r: NODE_RADIUS })
        : el('rect', {
            x: node.x - NODE_RADIUS + 2,
            y: node.y - NODE_RADIUS + 2,
            width: 2 * NODE_RADIUS - 4,
            height: 2 * NODE_RADIUS - 4,
            rx: 3,
          });
    // Labels sit outside the ring, away from the centre.
    const cx = graph.width / 2;
    const cy = graph.height / 2;
    const away = Math.hypot(node.x - cx, node.y - cy) || 1;
    const lx = node.x + ((node.x - cx) / away) * (NODE_RADIUS + 12);
    const ly = node.y + ((node.y - cy) / away) * (NODE_RADIUS + 12) + 4;
    const anchor = Math.abs(node.x - cx) < 8 ? 'middle' : node.x > cx ? 'start' : 'end';
    svg.append(
      el(
        'g',
        {
          class: `node ${node.kind} ${node.state}${node.onCycle ? ' on-cycle' : ''}${node.mainThread ? ' main-thread' : ''}`,
          'data-node': node.kind,
          'data-name': node.name,
          'data-on-cycle': String(node.onCycle),
        },
        el('title', {}, node.name),
        shape,
        el('text', { x: lx, y: ly, 'text-anchor': anchor }, shortName(node)),
      ),
    );
  }
  return svg;
}
