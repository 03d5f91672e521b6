/**
 * Stand-ins for the platform parts of renderer/data/clientIds.ts, for the unit tests and the ten-year benchmark:
 * Web Locks (a window's locks go back when it ends or crashes), an in-memory claim store and clean marks. The logic
 * under test (which id a document gets) is the real one.
 */
import type { CleanMark, CleanMarks, ClaimStore, SlotLocks } from '../../../../renderer/data/clientIds';

/** One origin's lock manager; every window takes locks through its own view and gives them all back at `crash`. */
export class MemoryLocks {
  private readonly held = new Set<string>();

  window(): SlotLocks & { crash(): void; holding(): number } {
    const mine = new Set<string>();
    return {
      take: (name) => {
        if (this.held.has(name)) return Promise.resolve(null);
        this.held.add(name);
        mine.add(name);
        return Promise.resolve(() => {
          if (mine.delete(name)) this.held.delete(name);
        });
      },
      crash: () => {
        for (const name of mine) this.held.delete(name);
        mine.clear();
      },
      holding: () => mine.size,
    };
  }
}

/** Claims kept in memory (the durable IndexedDB store stands behind `databaseClaims` in the app). */
export class MemoryClaims implements ClaimStore {
  readonly sessions = new Map<number, string>();
  writes = 0;

  read(slot: number): Promise<string | undefined> {
    return Promise.resolve(this.sessions.get(slot));
  }

  write(slot: number, session: string): Promise<void> {
    this.writes += 1;
    this.sessions.set(slot, session);
    return Promise.resolve();
  }
}

/** Clean marks kept in memory (localStorage behind `storageMarks` in the app). */
export class MemoryMarks implements CleanMarks {
  readonly marks = new Map<number, CleanMark>();

  read(slot: number): CleanMark | undefined {
    return this.marks.get(slot);
  }

  write(slot: number, mark: CleanMark): void {
    this.marks.set(slot, mark);
  }
}
