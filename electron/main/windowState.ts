/**
 * Remembers the window's size and position between runs, in `<userData>/window-state.json`.
 *
 * Pure except for the two file functions at the bottom. The saved position is never trusted: monitors get unplugged
 * and resolutions change (a laptop carried from the office dock to a field visit), so every loaded state is clamped
 * into the work area of a display that is connected now.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState extends Rect {
  maximized: boolean;
}

/** The part of Electron's `Display` this module needs. */
export interface DisplayLike {
  workArea: Rect;
}

export const WINDOW_STATE_FILE_NAME = 'window-state.json';
export const DEFAULT_SIZE = { width: 1280, height: 800 } as const;
/** Below this the workstation's two-column layouts stop working; BrowserWindow gets the same minimum. */
export const MIN_SIZE = { width: 960, height: 600 } as const;

export function windowStatePath(userDataDir: string): string {
  return path.join(userDataDir, WINDOW_STATE_FILE_NAME);
}

const isInt = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value);

/** A `WindowState` from parsed JSON, or `null` when any field is missing or of the wrong kind. */
export function parseWindowState(raw: unknown): WindowState | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { x, y, width, height, maximized } = raw as Record<string, unknown>;
  if (!isInt(x) || !isInt(y) || !isInt(width) || !isInt(height)) return null;
  if (width <= 0 || height <= 0) return null;
  return { x, y, width, height, maximized: maximized === true };
}

/** 1280×800 (or the whole work area when smaller) centred on `workArea`. */
export function defaultWindowState(workArea: Rect): WindowState {
  const width = Math.min(DEFAULT_SIZE.width, workArea.width);
  const height = Math.min(DEFAULT_SIZE.height, workArea.height);
  return {
    x: workArea.x + Math.round((workArea.width - width) / 2),
    y: workArea.y + Math.round((workArea.height - height) / 2),
    width,
    height,
    maximized: false,
  };
}

function overlapArea(a: Rect, b: Rect): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return width > 0 && height > 0 ? width * height : 0;
}

const clamp = (value: number, min: number, max: number): number => Math.min(Math.max(value, min), max);

/**
 * Moves and shrinks `state` so it lies wholly inside one display's work area: the display it overlaps most, or the
 * primary display when it overlaps none (its monitor is gone). Keeps `maximized`.
 */
export function clampToDisplays(
  state: WindowState,
  displays: readonly DisplayLike[],
  primary: DisplayLike,
): WindowState {
  let target = primary.workArea;
  let best = 0;
  for (const { workArea } of displays) {
    const area = overlapArea(state, workArea);
    if (area > best) {
      best = area;
      target = workArea;
    }
  }
  const width = clamp(state.width, Math.min(MIN_SIZE.width, target.width), target.width);
  const height = clamp(state.height, Math.min(MIN_SIZE.height, target.height), target.height);
  return {
    x: clamp(state.x, target.x, target.x + target.width - width),
    y: clamp(state.y, target.y, target.y + target.height - height),
    width,
    height,
    maximized: state.maximized,
  };
}

/** The state to open the window with: the saved one made visible, or the default when there is none usable. */
export function restoreWindowState(raw: unknown, displays: readonly DisplayLike[], primary: DisplayLike): WindowState {
  const saved = parseWindowState(raw);
  return saved === null ? defaultWindowState(primary.workArea) : clampToDisplays(saved, displays, primary);
}

export function loadWindowState(filePath: string, displays: readonly DisplayLike[], primary: DisplayLike): WindowState {
  let raw: unknown = null;
  try {
    raw = JSON.parse(readFileSync(filePath, 'utf8'));
  } catch {
    // Missing or corrupt file: fall through to the default state.
  }
  return restoreWindowState(raw, displays, primary);
}

/** Writes through a temporary file and a rename, so a crash mid-write never leaves a half-written state behind. */
export function saveWindowState(filePath: string, state: WindowState): void {
  const temporary = `${filePath}.tmp`;
  writeFileSync(temporary, JSON.stringify(state), 'utf8');
  renameSync(temporary, filePath);
}

/**
 * Calls `save` once, `delayMs` after the last `schedule()`: moving or resizing emits dozens of events a second and
 * only the final bounds matter. `flush()` saves at once if a save is pending.
 */
export function debounce(
  save: () => void,
  delayMs: number,
  timers: { set: typeof setTimeout; clear: typeof clearTimeout } = { set: setTimeout, clear: clearTimeout },
): { schedule: () => void; flush: () => void; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const cancel = (): void => {
    if (timer !== undefined) timers.clear(timer);
    timer = undefined;
  };
  return {
    schedule: () => {
      cancel();
      timer = timers.set(() => {
        timer = undefined;
        save();
      }, delayMs);
    },
    flush: () => {
      if (timer === undefined) return;
      cancel();
      save();
    },
    cancel,
  };
}
