// The CDP client against a scripted wire: routing of flattened sessions, timeouts, and clean
// failures when a session or the connection goes away.
import { describe, expect, it, vi } from 'vitest';
import { CdpConnection, CdpError } from './cdp-connection.ts';

interface Sent {
  id: number;
  method: string;
  params: unknown;
  sessionId?: string;
}

function setup(timeoutMs = 1000) {
  const sent: Sent[] = [];
  const wire = { send: (text: string) => void sent.push(JSON.parse(text) as Sent), close: vi.fn() };
  const connection = new CdpConnection(wire, timeoutMs);
  const deliver = (message: object) => connection.receive(JSON.stringify(message));
  const attach = (sessionId: string, targetId: string, parent?: string) =>
    deliver({
      method: 'Target.attachedToTarget',
      params: { sessionId, targetInfo: { targetId, type: 'iframe', url: '' }, waitingForDebugger: true },
      ...(parent ? { sessionId: parent } : {}),
    });
  return { sent, wire, connection, deliver, attach };
}

describe('CdpConnection', () => {
  it('sends with the session id, answers by call id, and routes events to their session', async () => {
    const { sent, connection, deliver, attach } = setup();
    const rootEvents: unknown[] = [];
    connection.root.on('Target.targetCrashed', (event) => rootEvents.push(event));
    attach('S1', 'T1');
    const session = connection.session('S1')!;
    expect(session.targetId).toBe('T1');
    const bindings: string[] = [];
    session.on('Runtime.bindingCalled', ({ payload }) => bindings.push(payload));

    const answer = session.send('Runtime.evaluate', { expression: '1' });
    expect(sent.at(-1)).toMatchObject({ method: 'Runtime.evaluate', sessionId: 'S1', params: { expression: '1' } });
    deliver({ id: sent.at(-1)!.id, result: { result: { type: 'number', value: 1 } }, sessionId: 'S1' });
    await expect(answer).resolves.toEqual({ result: { type: 'number', value: 1 } });

    deliver({
      method: 'Runtime.bindingCalled',
      params: { name: 'b', payload: 'hi', executionContextId: 1 },
      sessionId: 'S1',
    });
    deliver({
      method: 'Runtime.bindingCalled',
      params: { name: 'b', payload: 'other', executionContextId: 1 },
      sessionId: 'S2',
    });
    deliver({ method: 'Target.targetCrashed', params: { targetId: 'T1', status: 'crashed', errorCode: 0 } });
    expect(bindings).toEqual(['hi']);
    expect(rootEvents).toHaveLength(1);
  });

  it('turns protocol errors and silence into CdpErrors', async () => {
    const { sent, connection, deliver } = setup(50);
    const failing = connection.root.send('Target.attachToTarget', { targetId: 'nope', flatten: true });
    deliver({ id: sent.at(-1)!.id, error: { code: -32602, message: 'No target with given id found' } });
    await expect(failing).rejects.toMatchObject({
      kind: 'protocol',
      code: -32602,
      message: expect.stringContaining('No target'),
    });
    await expect(connection.root.send('Browser.getVersion')).rejects.toMatchObject({
      kind: 'timeout',
      method: 'Browser.getVersion',
    });
  });

  it('fails only the detached session’s calls, and every call once the connection closes', async () => {
    const { connection, deliver, attach, wire } = setup();
    attach('S1', 'T1');
    attach('S2', 'T2');
    const one = connection.session('S1')!;
    const two = connection.session('S2')!;
    const detached = vi.fn();
    one.onDidDetach(detached);
    const onOne = one.send('Runtime.evaluate', { expression: 'x' });
    const onTwo = two.send('Runtime.evaluate', { expression: 'y' });
    deliver({ method: 'Target.detachedFromTarget', params: { sessionId: 'S1', targetId: 'T1' } });
    await expect(onOne).rejects.toMatchObject({ kind: 'detached' });
    expect(detached).toHaveBeenCalledOnce();
    expect(connection.session('S1')).toBeUndefined();
    await expect(one.send('Page.enable')).rejects.toMatchObject({ kind: 'detached' });

    const closed = vi.fn();
    connection.onDidClose(closed);
    connection.close('the browser exited');
    await expect(onTwo).rejects.toMatchObject({
      kind: 'closed',
      message: expect.stringContaining('the browser exited'),
    });
    await expect(connection.root.send('Browser.getVersion')).rejects.toBeInstanceOf(CdpError);
    expect(closed).toHaveBeenCalledWith('the browser exited');
    expect(wire.close).toHaveBeenCalledOnce();
  });

  it('keeps routing when a listener throws', () => {
    const { connection, deliver } = setup();
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const heard = vi.fn();
    connection.root.on('Target.targetCrashed', () => {
      throw new Error('listener bug');
    });
    connection.root.on('Target.targetCrashed', heard);
    deliver({ method: 'Target.targetCrashed', params: { targetId: 'T', status: 'killed', errorCode: 0 } });
    expect(heard).toHaveBeenCalledOnce();
    expect(error).toHaveBeenCalled();
    error.mockRestore();
  });
});
