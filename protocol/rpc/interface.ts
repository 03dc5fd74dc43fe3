/**
 * How interfaces are declared, in the spirit of Chromium's `.mojom` files: an interface is a named
 * set of methods (request and response schemas) and events (payload schemas), declared once in a
 * protocol file; the static types are inferred from the schemas, so the two can never disagree.
 */
import { maxEncodedSize, type Static, type TSchema } from './schema.ts';

/** The largest message a connection allows unless told otherwise (ConnectOptions.maxMessageBytes). */
export const DEFAULT_MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

export interface MethodSpec<Request extends TSchema = TSchema, Response extends TSchema = TSchema> {
  readonly request: Request;
  readonly response: Response;
}

export interface InterfaceSpec {
  /** Appears in traces and errors as `Name.method`. */
  readonly name: string;
  readonly methods: Readonly<Record<string, MethodSpec>>;
  readonly events: Readonly<Record<string, TSchema>>;
}

/**
 * Declares an interface; `const` type parameters keep method and event names literal. Works out
 * every message's worst-case size here, once (`messageBounds`), and throws, naming each field, for
 * an interface that leaves one unbounded.
 */
export function defineInterface<
  const Methods extends Record<string, MethodSpec>,
  const Events extends Record<string, TSchema>,
>(spec: { name: string; methods: Methods; events: Events }): { name: string; methods: Methods; events: Events } {
  messageBounds(spec);
  return spec;
}

/** One message's worst case: `what` it is (`EchoService.draw request`) and how large it can get. */
export interface MessageBound {
  readonly what: string;
  readonly bytes: number;
}

const bounds = new WeakMap<InterfaceSpec, readonly MessageBound[]>();

/**
 * The largest each request, response and event of `spec` can be, from its schemas (as
 * `measureMessage` counts). Worked out once per interface, when it is defined (a spec made without
 * `defineInterface`: when first asked). Throws for an interface whose schemas leave a string,
 * array or binary field unbounded: then no limit could hold.
 */
export function messageBounds(spec: InterfaceSpec): readonly MessageBound[] {
  let known = bounds.get(spec);
  if (known) return known;
  const found: MessageBound[] = [];
  const unbounded: string[] = [];
  const add = (what: string, schema: TSchema) => {
    const fields: string[] = [];
    const bytes = maxEncodedSize(schema, '', fields);
    if (fields.length > 0) unbounded.push(`${what} leaves ${fields.join(', ')} unbounded`);
    else found.push({ what, bytes });
  };
  for (const [name, method] of Object.entries(spec.methods)) {
    add(`${spec.name}.${name} request`, method.request);
    add(`${spec.name}.${name} response`, method.response);
  }
  for (const [name, schema] of Object.entries(spec.events)) add(`${spec.name}.${name} event`, schema);
  if (unbounded.length > 0) throw messagesMustFit(DEFAULT_MAX_MESSAGE_BYTES, unbounded);
  bounds.set(spec, (known = found));
  return known;
}

/**
 * Refuses interfaces whose messages could exceed `maxBytes` (a connection's limit): then every
 * message that passes its schema is within the limit, and no message needs measuring on the hot
 * path. Compares the bounds worked out when the interfaces were defined; walks no schema.
 */
export function checkMessageBounds(specs: readonly InterfaceSpec[], maxBytes: number): void {
  const problems: string[] = [];
  for (const spec of specs) {
    for (const { what, bytes } of messageBounds(spec))
      if (bytes > maxBytes) problems.push(`${what} can reach ${formatBytes(bytes)}`);
  }
  if (problems.length > 0) throw messagesMustFit(maxBytes, problems);
}

function messagesMustFit(maxBytes: number, problems: readonly string[]): Error {
  return new Error(
    `Messages must fit in ${formatBytes(maxBytes)}; bound every string (maxLength), array (maxItems) and ` +
      `binary field: ${problems.join('; ')}`,
  );
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  return bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${bytes} bytes`;
}

/** A method: what the caller sends and what it gets back. */
export function method<const Request extends TSchema, const Response extends TSchema>(
  request: Request,
  response: Response,
): MethodSpec<Request, Response> {
  return { request, response };
}

export type MethodName<I extends InterfaceSpec> = keyof I['methods'] & string;
export type EventName<I extends InterfaceSpec> = keyof I['events'] & string;
export type RequestOf<I extends InterfaceSpec, M extends MethodName<I>> = Static<I['methods'][M]['request']>;
export type ResponseOf<I extends InterfaceSpec, M extends MethodName<I>> = Static<I['methods'][M]['response']>;
export type EventOf<I extends InterfaceSpec, E extends EventName<I>> = Static<I['events'][E]>;
