import { Alert, Button, Group, Image, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { attachSignInPhoto } from '@shared/domain/meetings/commands';
import { MAX_SIGN_IN_PHOTOS, type MeetingFile } from '@shared/domain/meetings/types';
import { useT } from '../../i18n';
import { usePlatform } from '../../platform';
import { pickAttachment } from '../../ui/files';
import { useMeetingCommand, useMeetingFiles } from './data';
import { ErrorLine } from './ErrorLine';
import type { MeetingContext } from './meetingContext';

/**
 * Photos of the paper sign-in sheet as signed: attached from the meeting until review (the photo is shrunk before it
 * is stored, since it travels with the document), and viewed one at a time in a dialog that Escape closes.
 */
export function SignInPhotos({ ctx }: { ctx: MeetingContext }) {
  const t = useT();
  const platform = usePlatform();
  const { meeting } = ctx;
  const files = useMeetingFiles(ctx.community, ctx.year, meeting.id);
  const commands = useMeetingCommand(ctx.community, ctx.year);
  const [viewing, setViewing] = useState<{ file: MeetingFile; n: number } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const photos = files?.signInPhotos ?? [];
  const mayAttach = ctx.may('attach-sign-in-photo');
  if (!mayAttach && photos.length === 0) return null;
  const full = photos.length >= MAX_SIGN_IN_PHOTOS;

  const attach = async () => {
    setProblem(null);
    const picked = await pickAttachment(platform, true);
    if (picked.kind === 'cancelled') return;
    if (picked.kind === 'too-big') {
      setProblem(t('mtg.photos.tooBig', { name: picked.name }));
      return;
    }
    await commands.run(attachSignInPhoto, { meetingId: meeting.id, name: picked.file.name, data: picked.file.data });
  };

  return (
    <Stack gap={4} aria-labelledby="mtg-signin-photos" data-testid="sign-in-photos">
      <Text fw={600} size="sm" id="mtg-signin-photos">
        {t('mtg.photos.title')}
      </Text>
      <Group gap="xs">
        {photos.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('mtg.photos.none')}
          </Text>
        )}
        {photos.map((file, index) => (
          <Button
            key={file.id}
            size="compact-sm"
            variant="default"
            data-testid="sign-in-photo"
            onClick={() => setViewing({ file, n: index + 1 })}
          >
            {t('mtg.photos.view', { n: index + 1 })}
          </Button>
        ))}
        {mayAttach && (
          <Button size="compact-sm" variant="light" disabled={full} onClick={() => void attach()}>
            {t('mtg.photos.attach')}
          </Button>
        )}
      </Group>
      {mayAttach && full && (
        <Text size="xs" c="dimmed">
          {t('mtg.photos.full', { max: MAX_SIGN_IN_PHOTOS })}
        </Text>
      )}
      {problem !== null && (
        <Alert color="red" role="alert" p="xs">
          {problem}
        </Alert>
      )}
      <ErrorLine error={commands.error} />
      <Modal
        opened={viewing !== null}
        onClose={() => setViewing(null)}
        title={viewing ? t('mtg.photos.view', { n: viewing.n }) : ''}
        size="xl"
      >
        {viewing && (
          <Stack gap="xs">
            <Image src={viewing.file.data} alt={t('mtg.photos.alt', { n: viewing.n, title: meeting.title })} />
            <Text size="xs" c="dimmed">
              {t('mtg.photos.meta', { name: viewing.file.name, by: viewing.file.addedBy })}
            </Text>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
