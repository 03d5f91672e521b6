import { Button, Group, List, NativeSelect, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useState, type SyntheticEvent } from 'react';
import { reviewMinutes, signMinutes, signOff } from '@shared/domain/meetings/commands';
import { missingSignatures } from '@shared/domain/meetings/machine';
import { SIGNATURE_ROLES, type SignatureRole } from '@shared/domain/meetings/types';
import { useT } from '../../i18n';
import { useMeetingCommand } from './data';
import { ErrorLine } from './ErrorLine';
import { formatWhen, ROLE_LABELS } from './labels';
import type { MeetingContext } from './MeetingPage';

/** 会后有结果: attendees review the draft, host, recorder and the required signatories sign, then sign-off locks it. */
export function SignOffSection({ ctx }: { ctx: MeetingContext }) {
  const t = useT();
  const commands = useMeetingCommand(ctx.community, ctx.year);
  const { meeting } = ctx;
  const attended = meeting.attendees.filter((a) => a.status !== 'absent');
  const [reviewer, setReviewer] = useState('');
  const [approved, setApproved] = useState(true);
  const [comment, setComment] = useState('');
  const [role, setRole] = useState<SignatureRole>('host');
  const defaultName = role === 'host' ? meeting.chair.name : role === 'recorder' ? meeting.recorder.name : '';
  const [name, setName] = useState<string | null>(null);
  const signer = name ?? defaultName;
  if (!ctx.may('review') && meeting.signatures.length === 0 && meeting.reviews.length === 0) return null;
  const missing = missingSignatures(meeting).map((m) => (m === 'host' || m === 'recorder' ? t(ROLE_LABELS[m]) : m));
  const review = async (event: SyntheticEvent) => {
    event.preventDefault();
    const key = reviewer || attended[0]?.key || '';
    if ((await commands.run(reviewMinutes, { meetingId: meeting.id, key, approved, comment })) !== null) setComment('');
  };
  const sign = async (event: SyntheticEvent) => {
    event.preventDefault();
    const attendee = meeting.attendees.find((a) => a.name === signer.trim());
    const slot = await commands.run(signMinutes, {
      meetingId: meeting.id,
      role,
      name: signer,
      key: attendee?.key ?? null,
    });
    if (slot !== null) setName(null);
  };
  const nameOf = (key: string) => meeting.attendees.find((a) => a.key === key)?.name ?? key;
  return (
    <Stack component="section" aria-labelledby="mtg-signoff">
      <Title order={3} id="mtg-signoff">
        {t('mtg.signOff.title')}
      </Title>
      {meeting.reviews.length > 0 && (
        <List size="sm" aria-label={t('mtg.review.list')}>
          {meeting.reviews.map((r) => (
            <List.Item key={r.key}>
              {t(r.approved ? 'mtg.review.approved' : 'mtg.review.objected', {
                name: nameOf(r.key),
                comment: r.comment,
              })}
            </List.Item>
          ))}
        </List>
      )}
      {ctx.may('review') && attended.length > 0 && (
        <form onSubmit={(event) => void review(event)} aria-label={t('mtg.review.form')}>
          <Group align="end" wrap="wrap">
            <NativeSelect
              label={t('mtg.review.reviewer')}
              value={reviewer || attended[0]?.key}
              onChange={(event) => setReviewer(event.currentTarget.value)}
              data={attended.map((a) => ({ value: a.key, label: a.name }))}
            />
            <Switch
              label={t('mtg.review.approve')}
              checked={approved}
              onChange={(e) => setApproved(e.currentTarget.checked)}
            />
            <TextInput
              label={t('mtg.review.comment')}
              value={comment}
              onChange={(e) => setComment(e.currentTarget.value)}
            />
            <Button type="submit" variant="default">
              {t('mtg.review.submit')}
            </Button>
          </Group>
        </form>
      )}
      <List size="sm" aria-label={t('mtg.sign.list')} data-testid="signatures">
        {meeting.signatures.map((s) => (
          <List.Item key={`${s.role}:${s.key ?? s.name}`}>
            {t('mtg.sign.line', { role: t(ROLE_LABELS[s.role]), name: s.name, at: formatWhen(s.at) })}
          </List.Item>
        ))}
      </List>
      {ctx.may('sign') && (
        <form onSubmit={(event) => void sign(event)} aria-label={t('mtg.sign.form')}>
          <Group align="end" wrap="wrap">
            <NativeSelect
              label={t('mtg.sign.role')}
              value={role}
              onChange={(event) => {
                setRole(event.currentTarget.value as SignatureRole);
                setName(null);
              }}
              data={SIGNATURE_ROLES.map((r) => ({ value: r, label: t(ROLE_LABELS[r]) }))}
            />
            <TextInput
              required
              label={t('mtg.sign.name')}
              value={signer}
              onChange={(e) => setName(e.currentTarget.value)}
            />
            <Button type="submit">{t('mtg.sign.submit')}</Button>
          </Group>
        </form>
      )}
      {ctx.may('sign-off') && (
        <Stack gap={4}>
          <Text size="sm" c={missing.length > 0 ? 'orange' : 'green'} data-testid="missing-signatures">
            {missing.length > 0 ? t('mtg.signOff.missing', { names: missing.join('、') }) : t('mtg.signOff.ready')}
          </Text>
          <Group>
            <Button color="dark" onClick={() => void commands.run(signOff, { meetingId: meeting.id })}>
              {t('mtg.action.signOff')}
            </Button>
          </Group>
        </Stack>
      )}
      <ErrorLine error={commands.error} />
    </Stack>
  );
}
