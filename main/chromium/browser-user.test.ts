// --browser-user=NAME: the lookup through `id`, with a made-up `id` and with the real one.
import { describe, expect, it } from 'vitest';
import { lookUpBrowserUser, type RunId } from './browser-user.ts';

const fakeId =
  (users: Record<string, { uid: number; gid: number }>): RunId =>
  ([flag, name]) => {
    const user = users[name!];
    if (!user) throw new Error(`id: '${name}': no such user`);
    return `${flag === '-u' ? user.uid : user.gid}\n`;
  };

describe('lookUpBrowserUser', () => {
  it('answers the uid and gid of an ordinary user', () => {
    expect(lookUpBrowserUser('labsandbox', fakeId({ labsandbox: { uid: 999, gid: 995 } }))).toEqual({
      name: 'labsandbox',
      uid: 999,
      gid: 995,
    });
  });

  it('refuses a missing user, root, and what is not a user name, each with a clear error', () => {
    expect(() => lookUpBrowserUser('nobody-here', fakeId({}))).toThrow(
      'there is no user "nobody-here" (create one with: useradd --system --no-create-home nobody-here)',
    );
    expect(() => lookUpBrowserUser('toor', fakeId({ toor: { uid: 0, gid: 0 } }))).toThrow('"toor" is root');
    expect(() => lookUpBrowserUser('-u', fakeId({}))).toThrow('"-u" is not a user name');
    expect(() => lookUpBrowserUser('a b', fakeId({}))).toThrow('is not a user name');
  });

  it('asks the system through the real `id`', () => {
    expect(() => lookUpBrowserUser('root')).toThrow('"root" is root');
    expect(() => lookUpBrowserUser('lab-no-such-user-4242')).toThrow('there is no user "lab-no-such-user-4242"');
  });
});
