import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  clampToDisplays,
  debounce,
  DEFAULT_SIZE,
  loadWindowState,
  MIN_SIZE,
  parseWindowState,
  saveWindowState,
  windowStatePath,
  type DisplayLike,
  type Rect,
  type WindowState,
} from '../../../../electron/main/windowState';

const display = (x: number, y: number, width: number, height: number): DisplayLike => ({
  workArea: { x, y, width, height },
});
const laptop = display(0, 0, 1920, 1040);
const rightMonitor = display(1920, 0, 2560, 1400);

function inside(rect: Rect, area: Rect): boolean {
  return (
    rect.x >= area.x &&
    rect.y >= area.y &&
    rect.x + rect.width <= area.x + area.width &&
    rect.y + rect.height <= area.y + area.height
  );
}

describe('clampToDisplays', () => {
  it('leaves a window that is fully visible where it was', () => {
    const state: WindowState = { x: 2000, y: 100, width: 1400, height: 900, maximized: false };
    expect(clampToDisplays(state, [laptop, rightMonitor], laptop)).toEqual(state);
  });

  it('brings a window back onto the primary display when its monitor is gone', () => {
    const onUnpluggedMonitor: WindowState = { x: 2500, y: 300, width: 1400, height: 900, maximized: true };
    const restored = clampToDisplays(onUnpluggedMonitor, [laptop], laptop);
    expect(inside(restored, laptop.workArea)).toBe(true);
    expect(restored).toMatchObject({ width: 1400, height: 900, maximized: true });
  });

  it('pulls a half off-screen window onto the display it overlaps most', () => {
    const hanging: WindowState = { x: 1700, y: -200, width: 1200, height: 800, maximized: false };
    const restored = clampToDisplays(hanging, [laptop, rightMonitor], laptop);
    expect(inside(restored, rightMonitor.workArea)).toBe(true);
  });

  it('shrinks a window larger than the work area, but not below the minimum the display allows', () => {
    const small = display(0, 0, 1366, 728);
    const huge: WindowState = { x: 0, y: 0, width: 3000, height: 2000, maximized: false };
    expect(clampToDisplays(huge, [small], small)).toEqual({ x: 0, y: 0, width: 1366, height: 728, maximized: false });
    const tiny: WindowState = { x: 10, y: 10, width: 200, height: 100, maximized: false };
    expect(clampToDisplays(tiny, [laptop], laptop)).toMatchObject(MIN_SIZE);
  });
});

describe('parseWindowState', () => {
  it('refuses incomplete or ill-typed states', () => {
    expect(parseWindowState({ x: 1, y: 2, width: 3 })).toBeNull();
    expect(parseWindowState({ x: '1', y: 2, width: 3, height: 4 })).toBeNull();
    expect(parseWindowState({ x: 1, y: 2, width: 0, height: 4 })).toBeNull();
    expect(parseWindowState({ x: 1.5, y: 2, width: 3, height: 4 })).toBeNull();
    expect(parseWindowState('x')).toBeNull();
    expect(parseWindowState({ x: 1, y: 2, width: 3, height: 4, maximized: 'yes' })).toEqual({
      x: 1,
      y: 2,
      width: 3,
      height: 4,
      maximized: false,
    });
  });
});

describe('window-state.json', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'window-state-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens a 1280×800 window centred on the primary display when the file is corrupt', () => {
    writeFileSync(windowStatePath(dir), '{"x": 10, "y":');
    const state = loadWindowState(windowStatePath(dir), [laptop, rightMonitor], laptop);
    expect(state).toEqual({
      x: (1920 - DEFAULT_SIZE.width) / 2,
      y: (1040 - DEFAULT_SIZE.height) / 2,
      width: DEFAULT_SIZE.width,
      height: DEFAULT_SIZE.height,
      maximized: false,
    });
  });

  it('opens the default window when there is no file yet', () => {
    const state = loadWindowState(windowStatePath(dir), [rightMonitor], rightMonitor);
    expect(state).toMatchObject({ width: 1280, height: 800, maximized: false });
    expect(inside(state, rightMonitor.workArea)).toBe(true);
  });

  it('restores what was saved, and leaves no temporary file behind', () => {
    const saved: WindowState = { x: 2100, y: 50, width: 1500, height: 1000, maximized: true };
    saveWindowState(windowStatePath(dir), saved);
    expect(existsSync(`${windowStatePath(dir)}.tmp`)).toBe(false);
    expect(JSON.parse(readFileSync(windowStatePath(dir), 'utf8'))).toEqual(saved);
    expect(loadWindowState(windowStatePath(dir), [laptop, rightMonitor], laptop)).toEqual(saved);
  });
});

describe('debounce', () => {
  it('saves once after a burst of moves, and flush saves a pending state at once', () => {
    vi.useFakeTimers();
    try {
      const save = vi.fn();
      const saver = debounce(save, 500);
      for (let i = 0; i < 20; i += 1) saver.schedule();
      vi.advanceTimersByTime(499);
      expect(save).not.toHaveBeenCalled();
      vi.advanceTimersByTime(1);
      expect(save).toHaveBeenCalledTimes(1);

      saver.schedule();
      saver.flush();
      expect(save).toHaveBeenCalledTimes(2);
      vi.advanceTimersByTime(1000);
      expect(save).toHaveBeenCalledTimes(2);
      saver.flush();
      expect(save).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
