/**
 * Counting local changes not yet stored on the server, from the server's state vector (shared/sync/protocol.ts,
 * "saved on the server"), never from y-websocket's `synced` (which only means the first handshake finished).
 *
 * Every local transaction that adds content leaves a marker: the Yjs client id of the doc and its clock after the
 * transaction. A marker is settled once the server's state vector reaches that clock for that client (the server
 * stores before it acknowledges). Markers are kept on disk, so the count survives a reload while offline.
 *
 * Content that was never marked (made on this device before it joined a server, or applied by a local import)
 * still counts: each client of the local state vector that the server lacks counts as one pending change.
 */
export type StateVector = ReadonlyMap<number, number>;

export class PendingChanges {
  /** client id -> ascending clocks after local transactions. */
  private readonly markers = new Map<number, number[]>();

  static fromJSON(json: Record<string, number[]>): PendingChanges {
    const pending = new PendingChanges();
    for (const [client, clocks] of Object.entries(json)) {
      const id = Number(client);
      if (Number.isInteger(id) && Array.isArray(clocks)) {
        const valid = clocks.filter((c) => typeof c === 'number').sort((a, b) => a - b);
        if (valid.length > 0) pending.markers.set(id, valid);
      }
    }
    return pending;
  }

  toJSON(): Record<string, number[]> {
    const json: Record<string, number[]> = {};
    for (const [client, clocks] of this.markers) json[String(client)] = [...clocks];
    return json;
  }

  /** A local transaction of `client` ended with its clock at `clock`. */
  mark(client: number, clock: number): void {
    const clocks = this.markers.get(client);
    if (clocks === undefined) this.markers.set(client, [clock]);
    else if (clocks[clocks.length - 1] !== clock) clocks.push(clock);
  }

  /** Drops the markers the server now covers. Returns true when something was dropped. */
  settle(server: StateVector): boolean {
    let changed = false;
    for (const [client, clocks] of this.markers) {
      const stored = server.get(client) ?? 0;
      const rest = clocks.filter((clock) => clock > stored);
      if (rest.length !== clocks.length) {
        changed = true;
        if (rest.length === 0) this.markers.delete(client);
        else this.markers.set(client, rest);
      }
    }
    return changed;
  }

  /** Local changes the server has not stored, given the local and the server's state vectors. */
  count(local: StateVector, server: StateVector): number {
    let count = 0;
    for (const [client, clocks] of this.markers) {
      const stored = server.get(client) ?? 0;
      for (const clock of clocks) if (clock > stored) count++;
    }
    for (const [client, clock] of local) {
      if (this.markers.has(client)) continue;
      if ((server.get(client) ?? 0) < clock) count++;
    }
    return count;
  }
}

export function stateVectorToJSON(sv: StateVector): Record<string, number> {
  const json: Record<string, number> = {};
  for (const [client, clock] of sv) json[String(client)] = clock;
  return json;
}

export function stateVectorFromJSON(json: Record<string, number>): Map<number, number> {
  const sv = new Map<number, number>();
  for (const [client, clock] of Object.entries(json)) {
    const id = Number(client);
    if (Number.isInteger(id) && typeof clock === 'number') sv.set(id, clock);
  }
  return sv;
}
