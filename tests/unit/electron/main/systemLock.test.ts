import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { SystemLockReason } from '@shared/ipc/channels';
import { forwardSystemLock, type PowerMonitorLike } from '../../../../electron/main/systemLock';

function monitor(): EventEmitter & PowerMonitorLike {
  return new EventEmitter();
}

describe('forwardSystemLock', () => {
  it('tells the window about a screen lock and about sleep, each with its reason', () => {
    const power = monitor();
    const sent: SystemLockReason[] = [];
    forwardSystemLock(power, (reason) => sent.push(reason));
    power.emit('lock-screen');
    power.emit('suspend');
    power.emit('resume');
    power.emit('unlock-screen');
    expect(sent).toEqual(['lock-screen', 'suspend']);
  });

  it('stops forwarding when asked, leaving no listener behind', () => {
    const power = monitor();
    const send = vi.fn();
    const stop = forwardSystemLock(power, send);
    stop();
    power.emit('lock-screen');
    power.emit('suspend');
    expect(send).not.toHaveBeenCalled();
    expect(power.listenerCount('lock-screen') + power.listenerCount('suspend')).toBe(0);
  });

  it('survives a window that cannot be told (closing at that moment)', () => {
    const power = monitor();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    forwardSystemLock(power, () => {
      throw new Error('Object has been destroyed');
    });
    expect(() => power.emit('suspend')).not.toThrow();
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
  });
});
