import {
  Alert,
  Button,
  Group,
  List,
  NativeSelect,
  SegmentedControl,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState, type SyntheticEvent } from 'react';
import { reviewMinutes, signMinutes, signOff } from '@shared/domain/meetings/commands';
import { missingSignatures } from '@shared/domain/meetings/machine';
import { SIGNATURE_ROLES, type SignatureRole } from '@shared/domain/meetings/types';
import { useT } from '../../i18n';
import { usePlatform } from '../../platform';
import { pickAttachment, type PickedFile } from '../../ui/files';
import { SignaturePad, typedSignatureImage } from '../../ui/SignaturePad';
import { useMeetingCommand, useMeetingFiles } from './data';
import { ErrorLine } from './ErrorLine';
import { formatWhen, ROLE_LABELS } from './labels';
import type { MeetingContext } from './meetingContext';
import { TypedSignature } from './TypedSignature';

type Method = 'typed' | 'drawn' | 'paper';

/**
 * 会后有结果: attendees review the draft, host, recorder and the required signatories sign, then sign-off locks it.
 * A signer types their name on screen (kept as an image of the typed name, the keyboard way), draws on the pad, or
 * signs on paper and the office keeps a photo of the page; every signature is then an image the minutes print.
 */
export function SignOffSection({ ctx }: { ctx: MeetingContext }) {
  const t = useT();
  const platform = usePlatform();
  const commands = useMeetingCommand(ctx.community, ctx.year);
  const { meeting } = ctx;
  const files = useMeetingFiles(ctx.community, ctx.year, meeting.id);
  const [method, setMethod] = useState<Method>('typed');
  const [drawn, setDrawn] = useState<string | null>(null);
  const [photo, setPhoto] = useState<PickedFile | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
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
    setProblem(null);
    const attendee = meeting.attendees.find((a) => a.name === signer.trim());
    let image: string;
    if (method === 'typed') image = typedSignatureImage(signer.trim(), new Date());
    else if (method === 'drawn') {
      if (drawn === null) {
        setProblem(t('mtg.sign.needInk'));
        return;
      }
      image = drawn;
    } else {
      if (photo === null) {
        setProblem(t('mtg.sign.needPhoto'));
        return;
      }
      image = photo.data;
    }
    const slot = await commands.run(signMinutes, {
      meetingId: meeting.id,
      role,
      name: signer,
      key: attendee?.key ?? null,
      method,
      image,
    });
    if (slot !== null) {
      setName(null);
      setDrawn(null);
      setPhoto(null);
    }
  };
  const takePhoto = async () => {
    setProblem(null);
    const picked = await pickAttachment(platform, true);
    if (picked.kind === 'picked') setPhoto(picked.file);
    else if (picked.kind === 'too-big') setProblem(t('mtg.photos.tooBig', { name: picked.name }));
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
        {meeting.signatures.map((s) => {
          const image = files?.byRef(s.image) ?? null;
          return (
            <List.Item key={`${s.role}:${s.key ?? s.name}`}>
              {t('mtg.sign.line', { role: t(ROLE_LABELS[s.role]), name: s.name, at: formatWhen(s.at) })}
              {s.method === 'paper' && ` · ${t('mtg.sign.method.paper')}`}
              {s.method === 'typed' && <TypedSignature signature={s} />}
              {s.method !== 'typed' && image && (
                <img
                  src={image.data}
                  alt={t('mtg.sign.imageOf', { name: s.name })}
                  height={32}
                  style={{ marginLeft: 8, verticalAlign: 'middle' }}
                  data-testid="signature-image"
                />
              )}
            </List.Item>
          );
        })}
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
            <SegmentedControl
              value={method}
              onChange={(value) => {
                setMethod(value);
                setProblem(null);
              }}
              aria-label={t('mtg.sign.method')}
              data={[
                { value: 'typed', label: t('mtg.sign.method.typed') },
                { value: 'drawn', label: t('mtg.sign.method.drawn') },
                { value: 'paper', label: t('mtg.sign.method.paper') },
              ]}
            />
            <Button type="submit">{t('mtg.sign.submit')}</Button>
          </Group>
          {method === 'typed' && (
            <Text size="xs" c="dimmed">
              {t('mtg.sign.typedHint')}
            </Text>
          )}
          {method === 'drawn' && (
            <SignaturePad key={role} label={t('mtg.sign.pad', { name: signer })} onChange={setDrawn} />
          )}
          {method === 'paper' && (
            <Group gap="xs">
              <Button size="xs" variant="default" onClick={() => void takePhoto()}>
                {t('mtg.sign.photo')}
              </Button>
              {photo && <Text size="sm">{photo.name}</Text>}
            </Group>
          )}
          {problem !== null && (
            <Alert color="red" role="alert" p="xs">
              {problem}
            </Alert>
          )}
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
