// The architecture map: every process as a node and every channel as an edge (architecture-map.ts
// says what and where), drawn with React Flow. Live: nodes follow the browser's state (a crashed
// process turns red and says why; a restarted one shows its new pid), and messages pulse along the
// browser's channels. While shown, it reads the browser's IPC trace (getTrace, use-traffic.ts) every 500 ms and, per
// edge and direction, starts at most one pulse per read, as strong as the number of messages: a
// flood costs one small update per edge, never one per message. The direct channels (TabGpu,
// TabPlugin) bypass the browser and its trace: their rates come from getMetrics (counted by the GPU
// process and the plugin host), read every second, with one pulse per read each way.
// The map's own stylesheet before React Flow's, which wins ties as it did when the map's rules were
// in the page's stylesheet and React Flow's came with this lazily loaded chunk.
import './architecture-map.css';
import '@xyflow/react/dist/style.css';
import {
  EdgeLabelRenderer,
  getBezierPath,
  Handle,
  Position,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type Edge,
  type EdgeProps,
  type FitViewOptions,
  type Node,
  type NodeProps,
} from '@xyflow/react';
import { useEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import type { BrowserView } from '../connection/browser-state.ts';
import { useHighlight } from '../shared/highlight.ts';
import {
  architectureGraph,
  NODE_HEIGHT,
  NODE_WIDTH,
  type HandleSide,
  type MapEdge,
  type MapNode,
} from './architecture-map.ts';
import { formatEdgeRate, peerIndex, pulseStrength } from './traffic.ts';
import {
  DIRECT_POLL_MS,
  DirectTrafficContext,
  DirectTrafficStore,
  MAP_POLL_MS,
  TrafficContext,
  TrafficStore,
  useDirectSignal,
  useDirectTraffic,
  useEdgeSignal,
  useTraffic,
} from './use-traffic.ts';

const FIT: FitViewOptions = { padding: 0.08, maxZoom: 1.1 };

// ---- nodes -----------------------------------------------------------------------------------------

type ProcessNodeData = { node: MapNode };
type ProcessFlowNode = Node<ProcessNodeData, 'process'>;
type ChannelEdgeData = { edge: MapEdge };
type ChannelFlowEdge = Edge<ChannelEdgeData, 'channel'>;

const HANDLE_POSITIONS: Record<HandleSide, { position: Position; style?: CSSProperties }> = {
  top: { position: Position.Top },
  'top-left': { position: Position.Top, style: { left: '22%' } },
  'top-right': { position: Position.Top, style: { left: '78%' } },
  bottom: { position: Position.Bottom },
  left: { position: Position.Left },
  right: { position: Position.Right },
};

/** Which handles each kind of node has: where its edges meet it, and whether they start or end there. */
const HANDLES: Record<MapNode['kind'], readonly { side: HandleSide; type: 'source' | 'target' }[]> = {
  browser: [
    { side: 'left', type: 'source' },
    { side: 'right', type: 'source' },
    { side: 'bottom', type: 'source' },
  ],
  gpu: [
    { side: 'right', type: 'target' },
    { side: 'bottom', type: 'target' },
  ],
  'plugin-host': [
    { side: 'left', type: 'target' },
    { side: 'bottom', type: 'target' },
  ],
  'lab-host': [
    { side: 'left', type: 'target' },
    { side: 'bottom', type: 'target' },
  ],
  renderer: [
    { side: 'top', type: 'target' },
    { side: 'top-left', type: 'source' },
    { side: 'top-right', type: 'source' },
  ],
};

function ProcessNode({ data: { node } }: NodeProps<ProcessFlowNode>) {
  const classes = [
    'map-node',
    `map-node-${node.kind}`,
    `tone-${node.tone}`,
    node.software ? 'software' : '',
    node.standby ? 'standby' : '',
    node.highlighted ? 'highlighted' : '',
  ];
  return (
    <div
      className={classes.filter(Boolean).join(' ')}
      data-process-id={node.id}
      // A standby is not what "the GPU process" means to tours, tests or styles: its own data-kind.
      data-kind={node.standby ? `${node.kind}-standby` : node.kind}
      data-standby={node.standby ? 'true' : undefined}
      data-state={node.state}
      data-pid={node.pid}
      data-restarts={node.restarts}
      data-highlighted={node.highlighted ? 'true' : undefined}
      data-tab-ids={node.tabIds.length ? node.tabIds.join(' ') : undefined}
      data-gpu-mode={node.kind === 'gpu' ? (node.software ? 'software' : 'hardware') : undefined}
    >
      {HANDLES[node.kind].map(({ side, type }) => (
        <Handle
          key={side}
          id={side}
          type={type}
          position={HANDLE_POSITIONS[side].position}
          style={HANDLE_POSITIONS[side].style}
          isConnectable={false}
        />
      ))}
      <div className="map-node-title">
        <span className={`kind-dot kind-${node.kind}`} aria-hidden="true" />
        {node.title}
      </div>
      <div className={`map-node-serves${node.software ? ' software' : ''}`} title={node.serves}>
        {node.serves}
      </div>
      <div className="map-node-status" title={node.status}>
        <span className="map-status-dot" aria-hidden="true" />
        {node.status}
      </div>
    </div>
  );
}

// ---- edges ------------------------------------------------------------------------------------------

/** One dot travelling the edge (re-created for every pulse, which restarts its CSS animation). */
function Pulse({
  path,
  count,
  inbound,
  durationMs,
}: {
  path: string;
  count: number;
  inbound: boolean;
  durationMs?: number;
}) {
  const strength = pulseStrength(count);
  return (
    <path
      className={`map-pulse${inbound ? ' inbound' : ''}${durationMs === undefined ? '' : ' direct'}`}
      d={path}
      pathLength={100}
      style={{
        strokeWidth: 5 + strength * 7,
        strokeOpacity: 0.5 + strength * 0.5,
        animationDuration: `${durationMs ?? MAP_POLL_MS - 20}ms`,
      }}
    />
  );
}

/** The point at `t` (0 to 1) of a one-segment cubic bezier path `M x,y C x,y x,y x,y`, as getBezierPath makes them. */
function pointOnBezier(path: string, t: number): [number, number] | undefined {
  const n = path.match(/-?\d+(?:\.\d+)?(?:e-?\d+)?/g)?.map(Number);
  if (!n || n.length !== 8) return undefined;
  const u = 1 - t;
  const at = (a: number, b: number, c: number, d: number) =>
    u * u * u * a + 3 * u * u * t * b + 3 * u * t * t * c + t * t * t * d;
  return [at(n[0]!, n[2]!, n[4]!, n[6]!), at(n[1]!, n[3]!, n[5]!, n[7]!)];
}

function ChannelEdge({
  id,
  data,
  sourceX,
  sourceY,
  targetX,
  targetY,
  sourcePosition,
  targetPosition,
}: EdgeProps<ChannelFlowEdge>) {
  const edge = data!.edge;
  const signal = useEdgeSignal(id);
  const direct = useDirectSignal(id);
  const [path, centerX, centerY] = getBezierPath({
    sourceX,
    sourceY,
    sourcePosition,
    targetX,
    targetY,
    targetPosition,
  });
  // A renderer's direct channels are labelled near the renderer, clear of the browser channels' labels.
  const [labelX, labelY] = (edge.kind === 'ipc' ? undefined : pointOnBezier(path, 0.2)) ?? [centerX, centerY];
  const traced = edge.kind === 'ipc' && !edge.broken;
  const rate = traced && signal?.perSecond !== undefined ? formatEdgeRate(signal.perSecond) : undefined;
  // Direct channels: rates and pulses from the counts of the GPU process or plugin host; a read's pulse stands for a second's messages.
  const measured = edge.kind === 'direct' ? direct : undefined;
  const directRate = measured ? formatEdgeRate(measured.rate.perSecond) : undefined;
  const perRead = DIRECT_POLL_MS / 1000;
  const classes = [
    'map-edge',
    `map-edge-${edge.kind}`,
    edge.channel ? `channel-${edge.channel}` : '',
    edge.broken ? 'broken' : '',
  ];
  return (
    <>
      <path className={classes.filter(Boolean).join(' ')} d={path} fill="none" />
      {traced && signal && signal.out > 0 && (
        <Pulse key={`out-${signal.pulse}`} path={path} count={signal.out} inbound={false} />
      )}
      {traced && signal && signal.in > 0 && <Pulse key={`in-${signal.pulse}`} path={path} count={signal.in} inbound />}
      {measured && measured.rate.toChild > 0 && (
        <Pulse
          key={`to-child-${measured.pulse}`}
          path={path}
          count={measured.rate.toChild * perRead}
          inbound={false}
          durationMs={DIRECT_POLL_MS - 40}
        />
      )}
      {measured && measured.rate.toTab > 0 && (
        <Pulse
          key={`to-tab-${measured.pulse}`}
          path={path}
          count={measured.rate.toTab * perRead}
          inbound
          durationMs={DIRECT_POLL_MS - 40}
        />
      )}
      <EdgeLabelRenderer>
        <div
          className={`map-edge-label map-edge-label-${edge.kind}${edge.broken ? ' broken' : ''}`}
          data-edge-id={edge.id}
          data-channel={edge.channel}
          data-per-second={measured ? measured.rate.perSecond : undefined}
          title={edge.description}
          style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
        >
          {edge.label}
          {rate && <span className="map-edge-rate"> · {rate}</span>}
          {directRate && <span className="map-edge-rate"> · {directRate}</span>}
          {edge.kind === 'direct' && <span className="map-edge-rate"> · direct</span>}
        </div>
      </EdgeLabelRenderer>
    </>
  );
}

const NODE_TYPES = { process: ProcessNode };
const EDGE_TYPES = { channel: ChannelEdge };

// ---- the map ------------------------------------------------------------------------------------------

function MapCanvas({
  nodes,
  edges,
  layoutKey,
}: {
  nodes: ProcessFlowNode[];
  edges: ChannelFlowEdge[];
  layoutKey: string;
}) {
  const flow = useReactFlow();
  const container = useRef<HTMLDivElement>(null);
  // Fit the whole map whenever its layout changes (a tab opens or closes) and whenever it is resized.
  useEffect(() => {
    const frame = requestAnimationFrame(() => void flow.fitView(FIT));
    return () => cancelAnimationFrame(frame);
  }, [flow, layoutKey]);
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => void flow.fitView(FIT));
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      cancelAnimationFrame(frame);
    };
  }, [flow]);
  return (
    <div className="map-canvas" ref={container}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        edgeTypes={EDGE_TYPES}
        fitView
        fitViewOptions={FIT}
        minZoom={0.2}
        maxZoom={2}
        nodesDraggable={false}
        nodesConnectable={false}
        nodesFocusable={false}
        edgesFocusable={false}
        elementsSelectable={false}
        zoomOnScroll={false}
        zoomOnDoubleClick={false}
        preventScrolling={false}
        proOptions={{ hideAttribution: true }}
      />
    </div>
  );
}

export function ArchitectureMap({ view }: { view: BrowserView }) {
  const highlight = useHighlight();
  const graph = useMemo(() => architectureGraph(view, highlight.processIds), [view, highlight]);
  const index = useMemo(() => peerIndex(view), [view]);
  const [store] = useState(() => new TrafficStore());
  useTraffic(store, index);
  const [directStore] = useState(() => new DirectTrafficStore());
  useDirectTraffic(directStore, view.tabs);

  const nodes = useMemo(
    () =>
      graph.nodes.map((node): ProcessFlowNode => ({
        id: node.id,
        type: 'process',
        position: { x: node.x, y: node.y },
        data: { node },
        width: NODE_WIDTH,
        height: NODE_HEIGHT,
        draggable: false,
        selectable: false,
        connectable: false,
      })),
    [graph],
  );
  const edges = useMemo(
    () =>
      graph.edges.map((edge): ChannelFlowEdge => ({
        id: edge.id,
        type: 'channel',
        source: edge.source,
        target: edge.target,
        sourceHandle: edge.sourceHandle,
        targetHandle: edge.targetHandle,
        data: { edge },
        ariaLabel: edge.description,
        selectable: false,
        focusable: false,
      })),
    [graph],
  );
  const layoutKey = graph.nodes.map((node) => `${node.id}@${node.x},${node.y}`).join('|');

  return (
    <figure className="architecture-map" role="figure" aria-label="Architecture map">
      <TrafficContext value={store}>
        <DirectTrafficContext value={directStore}>
          <ReactFlowProvider>
            <MapCanvas nodes={nodes} edges={edges} layoutKey={layoutKey} />
          </ReactFlowProvider>
        </DirectTrafficContext>
      </TrafficContext>
      <figcaption className="map-legend">
        <span className="map-legend-item">
          <span className="map-legend-line ipc" aria-hidden="true" />
          browser channel: messages per second
        </span>
        <span className="map-legend-item">
          <span className="map-legend-dot" aria-hidden="true" />
          from the browser (direct: from the tab)
        </span>
        <span className="map-legend-item">
          <span className="map-legend-dot inbound" aria-hidden="true" />
          to the browser (direct: to the tab)
        </span>
        <span className="map-legend-item">
          <span className="map-legend-line direct" aria-hidden="true" />
          direct channel the browser brokered: messages per second as the GPU process or plugin host counts them
        </span>
        {view.gpuMode === 'software' && (
          <span className="map-legend-item">
            <span className="map-legend-line software" aria-hidden="true" />
            software compositing: no GPU channel
          </span>
        )}
        <span className="map-legend-item">
          <span className="map-legend-swatch" aria-hidden="true" />
          ended (why, as its exit says)
        </span>
      </figcaption>
    </figure>
  );
}
