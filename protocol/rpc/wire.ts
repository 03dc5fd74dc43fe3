/**
 * The envelope every RPC message travels in. Short keys and numeric kinds: it is structured-cloned
 * on every hop. The envelope is checked by hand (it is tiny and hot); payloads by their schemas.
 */
import type { SerializedError } from './errors.ts';

export const Kind = { Request: 0, Response: 1, Error: 2, Event: 3, Cancel: 4 } as const;

/** Calls `m` with payload `p`; the answer carries the same `i`. */
export interface RequestEnvelope { k: 0; i: number; m: string; p: unknown; t: number }
export interface ResponseEnvelope { k: 1; i: number; p: unknown; t: number }
export interface ErrorEnvelope { k: 2; i: number; e: SerializedError; t: number }
/** A fire-and-forget event `m` with payload `p`. */
export interface EventEnvelope { k: 3; m: string; p: unknown; t: number }
/** The caller gave up on call `i` (timeout or abort); the handler's signal is aborted. */
export interface CancelEnvelope { k: 4; i: number; t: number }

export type Envelope = RequestEnvelope | ResponseEnvelope | ErrorEnvelope | EventEnvelope | CancelEnvelope;

const MAX_NAME = 128;
const MAX_TEXT = 64 * 1024;

function isCallId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isName(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_NAME;
}

function isText(value: unknown, max = MAX_TEXT): value is string {
  return typeof value === 'string' && value.length <= max;
}

function isSerializedError(value: unknown): value is SerializedError {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  return (
    isText(e.name, MAX_NAME) &&
    isText(e.message) &&
    (e.code === undefined || isText(e.code, MAX_NAME)) &&
    (e.stack === undefined || isText(e.stack))
  );
}

/** Returns the envelope, or a reason it is not one. Never throws, whatever `message` is. */
export function readEnvelope(message: unknown): Envelope | string {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return 'message is not an envelope object';
  }
  const m = message as Record<string, unknown>;
  if (typeof m.t !== 'number' || !Number.isFinite(m.t)) return 'envelope has no valid timestamp';
  switch (m.k) {
    case Kind.Request:
      if (!isCallId(m.i)) return 'request has no valid call id';
      if (!isName(m.m)) return 'request has no valid method name';
      return message as RequestEnvelope;
    case Kind.Response:
      if (!isCallId(m.i)) return 'response has no valid call id';
      return message as ResponseEnvelope;
    case Kind.Error:
      if (!isCallId(m.i)) return 'error has no valid call id';
      if (!isSerializedError(m.e)) return 'error has no valid error object';
      return message as ErrorEnvelope;
    case Kind.Event:
      if (!isName(m.m)) return 'event has no valid name';
      return message as EventEnvelope;
    case Kind.Cancel:
      if (!isCallId(m.i)) return 'cancel has no valid call id';
      return message as CancelEnvelope;
    default:
      return 'envelope has an unknown kind';
  }
}
