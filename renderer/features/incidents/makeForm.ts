import type { IncidentState } from '@shared/domain/incidents/state';
import type { CommunityId } from '@shared/ydoc/docName';
import type { IncidentCommands } from './data';

/** What each "make the event into …" form is given (ToCase, ToMeeting, ToTask); each reads what it needs. */
export interface MakeFormProps {
  readonly community: CommunityId;
  readonly state: IncidentState;
  /** The event's place in words, for a case without a registry building. */
  readonly placeText: string;
  /** The signed-in account's name, offered as the agenda item's proposer. */
  readonly proposer: string;
  readonly commands: IncidentCommands;
  readonly onDone: () => void;
  readonly onCancel: () => void;
}
