import type { MeetingAction } from '@shared/domain/meetings/machine';
import type { CommunityId } from '@shared/ydoc/docName';
import type { StoredMeeting } from '@shared/ydoc/meetings';
import type { RegistrySnapshot } from '@shared/ydoc/registry';
import type { MeetingCommands } from './data';

/**
 * What the meeting page's sections share: the meeting, what may be done now (asked of the machine), the commands and
 * the registry view. Its own module, so the page and its sections both import it and never each other.
 */
export interface MeetingContext {
  readonly community: CommunityId;
  readonly year: number;
  readonly meeting: StoredMeeting;
  readonly may: (action: MeetingAction) => boolean;
  readonly commands: MeetingCommands;
  /** The registry for rules that preview against it (before the sheet is fixed); an empty one after. */
  readonly registry: RegistrySnapshot;
}
