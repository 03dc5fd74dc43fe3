/**
 * How interfaces are declared, in the spirit of Chromium's `.mojom` files: an interface is a named
 * set of methods (request and response schemas) and events (payload schemas), declared once in a
 * protocol file; the static types are inferred from the schemas, so the two can never disagree.
 */
import type { Static, TSchema } from './schema.ts';

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

/** Declares an interface; `const` type parameters keep method and event names literal. */
export function defineInterface<
  const Methods extends Record<string, MethodSpec>,
  const Events extends Record<string, TSchema>,
>(spec: { name: string; methods: Methods; events: Events }): { name: string; methods: Methods; events: Events } {
  return spec;
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
