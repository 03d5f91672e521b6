/**
 * 转为督办任务: an event the street wants followed to the end as a task (a repair the community cannot do alone, a
 * matter for several offices) becomes a one-off task of this community with one action (the tasks area's
 * `PublishFromRecord`, `tasks.supervise`); its basis names the event. The event then records a `linked` step naming
 * the task (`<year>/<task id>`, links.ts), and the task's page shows the event as its source.
 */
import { linkIncident } from '@shared/domain/incidents/commands';
import { useT } from '../../i18n';
import { PublishFromRecord } from '../tasks';
import type { MakeFormProps } from './makeForm';
import { IncidentError } from './IncidentActions';
import { linkId } from '../event-links';

export function ToTaskForm({ community, state, commands, onDone, onCancel }: MakeFormProps) {
  const t = useT();
  const b = state.base;
  return (
    <PublishFromRecord
      community={community}
      defaults={{
        templateId: `ev-${b.id}`,
        docNo: `事件转办-${b.reportedOn}-${b.id.slice(0, 8)}`,
        title: b.title,
        category: t(`incident.category.${b.category}`),
        basis: t('incident.toTask.basis', { title: b.title, on: b.reportedOn }),
        lead: state.assignee?.name ?? '',
        responsible: state.assignee?.name ?? '',
      }}
      hint={t('incident.toTask.hint')}
      error={<IncidentError error={commands.error} />}
      onPublished={async (year, taskId) => {
        const linked = await commands.run(linkIncident, {
          incidentId: b.id,
          link: 'task',
          recordId: linkId(year, taskId),
        });
        if (linked === null) return false;
        onDone();
        return true;
      }}
      onCancel={onCancel}
    />
  );
}
