import { Button, Group, Stack, TextInput } from '@mantine/core';
import { useState, type SyntheticEvent } from 'react';
import { updateMeetingDetails } from '@shared/domain/meetings/commands';
import { useT } from '../../i18n';
import { chinaInstant } from './CreateMeeting';
import { useMeetingCommand } from './data';
import { ErrorLine } from './ErrorLine';
import { formatWhen } from './labels';
import type { MeetingContext } from './meetingContext';
import { cleanPerson, MeetingPeopleFields, type MeetingPeople } from './PersonField';
import { DateTimeField } from '../../ui/DateTimeField';

function splitNames(value: string): string[] {
  return value
    .split(/[\n,，、]/)
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

/** Changes title, time, place, convener, chair, recorder and signatories while the machine allows `edit-details`. */
export function EditDetails({ ctx, onDone }: { ctx: MeetingContext; onDone: () => void }) {
  const t = useT();
  const { meeting } = ctx;
  const commands = useMeetingCommand(ctx.community, ctx.year);
  const [title, setTitle] = useState(meeting.title);
  const [startsAt, setStartsAt] = useState(formatWhen(meeting.startsAt).replace(' ', 'T'));
  const [place, setPlace] = useState(meeting.place);
  const [people, setPeople] = useState<MeetingPeople>({
    convener: meeting.convener,
    chair: meeting.chair,
    recorder: meeting.recorder,
  });
  const [signatories, setSignatories] = useState(meeting.requiredSignatories.map((p) => p.name).join('、'));
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    const instant = chinaInstant(startsAt);
    const changed = await commands.run(updateMeetingDetails, {
      id: meeting.id,
      changes: {
        title,
        ...(instant ? { startsAt: instant } : {}),
        place,
        convener: cleanPerson(people.convener),
        chair: cleanPerson(people.chair),
        recorder: cleanPerson(people.recorder),
        requiredSignatories: splitNames(signatories).map(
          (name) => meeting.requiredSignatories.find((p) => p.name === name) ?? { name, ref: null },
        ),
      },
    });
    if (changed !== null) onDone();
  };
  return (
    <Stack component="form" onSubmit={(event) => void submit(event)} aria-label={t('mtg.details.edit')} maw={720}>
      <Group grow>
        <TextInput
          required
          label={t('mtg.field.title')}
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
        />
        <DateTimeField
          required

          label={t('mtg.field.startsAt')}
          value={startsAt}
          onChange={setStartsAt}
        />
        <TextInput
          required
          label={t('mtg.field.place')}
          value={place}
          onChange={(e) => setPlace(e.currentTarget.value)}
        />
      </Group>
      <MeetingPeopleFields community={ctx.community} value={people} onChange={setPeople} />
      <TextInput
        label={t('mtg.field.signatories')}
        description={t('mtg.create.linesHint')}
        value={signatories}
        onChange={(e) => setSignatories(e.currentTarget.value)}
      />
      <Group>
        <Button type="submit" loading={commands.busy}>
          {t('mtg.details.save')}
        </Button>
        <Button variant="default" onClick={onDone}>
          {t('mtg.cancel')}
        </Button>
      </Group>
      <ErrorLine error={commands.error} />
    </Stack>
  );
}
