/**
 * The sync state of one community, read from the manager's snapshot (docs/sync-client.md, "State people can trust"):
 * the header badge describes the community that is open, not the server connection as a whole. A community the token
 * does not name is never synced, whatever the other communities' state: its changes stay on this device.
 */
import { parseDocName } from '@shared/ydoc/docName';
import type { DocSyncStatus } from './docSync';
import type { OverallState, SyncSnapshot } from './manager';

/**
 * `local`: no server joined; `unsynced`: a server is joined, but its token does not name this community (the demo,
 * a community created here); else the state of the community's own documents.
 */
export type CommunitySyncState = OverallState | 'unsynced';

export interface CommunitySync {
  readonly state: CommunitySyncState;
  /** Local changes of the community's documents not yet stored on the server. */
  readonly pending: number;
  /** The oldest last full sync of the community's documents; `null` when one has never fully synced. */
  readonly lastFullSync: number | null;
  readonly docs: readonly DocSyncStatus[];
}

const NOT_SYNCED = { pending: 0, lastFullSync: null, docs: [] } as const;

/**
 * How `community` stands with the server. With no community open, the whole connection's state. The rules are the
 * manager's (`computeSnapshot`) applied to the community's documents only; a refused token and the OS being offline
 * hold for every community.
 */
export function communitySync(snapshot: SyncSnapshot, community: string | null): CommunitySync {
  if (!snapshot.joined) return { state: 'local', ...NOT_SYNCED };
  if (community === null) {
    return {
      state: snapshot.state,
      pending: snapshot.pending,
      lastFullSync: snapshot.lastFullSync,
      docs: snapshot.docs,
    };
  }
  if (!snapshot.communities.includes(community)) return { state: 'unsynced', ...NOT_SYNCED };
  const docs = snapshot.docs.filter((doc) => parseDocName(doc.docName)?.community === community);
  const pending = docs.reduce((sum, doc) => sum + doc.pending, 0);
  let lastFullSync: number | null = docs.length === 0 ? null : Infinity;
  for (const doc of docs) {
    if (doc.lastFullSync === null || lastFullSync === null) lastFullSync = null;
    else lastFullSync = Math.min(lastFullSync, doc.lastFullSync);
  }
  let state: OverallState;
  if (snapshot.state === 'refused' || snapshot.state === 'offline') state = snapshot.state;
  // Named by the token, its documents not opened yet: on the way, never "up to date".
  else if (docs.length === 0) state = 'connecting';
  else if (docs.every((doc) => doc.connection === 'refused')) state = 'refused';
  else if (docs.some((doc) => doc.connection === 'connecting' || doc.connection === 'offline')) state = 'connecting';
  else if (docs.some((doc) => doc.connection === 'syncing') || pending > 0) state = 'syncing';
  else state = 'synced';
  return { state, pending, lastFullSync: lastFullSync === Infinity ? null : lastFullSync, docs };
}
