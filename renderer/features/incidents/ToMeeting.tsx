/**
 * 列入会议议题: an event the community must decide on goes onto the agenda of a meeting being prepared, with one action
 * (the meetings area's `AddToAgenda`); the event then records a `linked` step naming the meeting
 * (`<year>/<meeting id>`, links.ts), and the meeting's page shows the event as its source.
 */
import { linkIncident } from '@shared/domain/incidents/commands';
import { useT } from '../../i18n';
import { AddToAgenda } from '../meetings';
import type { MakeFormProps } from './makeForm';
import { IncidentError } from './IncidentActions';
import { linkId } from '../event-links';

export function ToMeetingForm({ community, state, proposer, commands, onDone, onCancel }: MakeFormProps) {
  const t = useT();
  return (
    <AddToAgenda
      community={community}
      title={state.base.title}
      proposer={proposer}
      hint={t('incident.toMeeting.hint')}
      error={<IncidentError error={commands.error} />}
      onAdded={async (year, meetingId) => {
        const linked = await commands.run(linkIncident, {
          incidentId: state.base.id,
          link: 'meeting',
          recordId: linkId(year, meetingId),
        });
        if (linked === null) return false;
        onDone();
        return true;
      }}
      onCancel={onCancel}
    />
  );
}
