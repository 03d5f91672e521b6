/** The case's files on the case page: the image viewer's gallery, the list of attachments, adding one after intake. */
import { Alert, Anchor, Button, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { addCaseAttachment, storeCaseFile } from '@shared/domain/mediation/commands';
import type { Attachment, MediationCase, Signature, Signer } from '@shared/domain/mediation/types';
import { useT, type Translate } from '../../i18n';
import { usePlatform } from '../../platform';
import { pickAttachment } from '../../ui/files';
import type { ViewerItem } from './AttachmentViewer';
import { CaseErrorText } from './CaseErrorText';
import type { ActionProps } from './formParts';
import { signerName } from './labels';

/** The case's images for the viewer: image attachments (at intake and later), then the pages signed on paper. */
export function galleryOf(
  t: Translate,
  c: MediationCase,
  files: ReadonlyMap<string, { type: string }>,
  attachments: readonly Attachment[],
): ViewerItem[] {
  const images: ViewerItem[] = attachments
    .filter((a) => files.get(a.ref)?.type.startsWith('image/') === true)
    .map((a) => ({ ref: a.ref, name: a.name }));
  const records: { label: string; signatures: readonly Signature[]; nameOf: (signer: Signer) => string }[] = [
    ...Object.values(c.sessions)
      .sort((a, b) => (a.at < b.at ? -1 : 1))
      .map((s) => ({
        label: `${t('case.session.title')} ${t('case.session.version', { version: s.version })}`,
        signatures: s.signatures,
        nameOf: (signer: Signer) =>
          signer.role === 'mediator'
            ? s.mediatorName
            : signer.role === 'recorder'
              ? s.recorderName
              : signerName(t, c, signer),
      })),
    ...Object.values(c.agreements)
      .sort((a, b) => (a.madeAt < b.madeAt ? -1 : 1))
      .map((a) => ({
        label: `${t('case.agreement.title')} ${t('case.session.version', { version: a.version })}`,
        signatures: a.signatures,
        nameOf: (signer: Signer) => (signer.role === 'mediator' ? a.mediatorName : signerName(t, c, signer)),
      })),
  ];
  for (const record of records) {
    for (const s of record.signatures) {
      if (s.kind !== 'on-paper') continue;
      images.push({
        ref: s.photo,
        name: t('case.sign.photoName', { name: record.nameOf(s.signer), record: record.label }),
      });
    }
  }
  return images;
}

/** The case's files: an image opens in the viewer, any other file is offered as a download. */
export function AttachmentList({
  attachments,
  files,
  onView,
}: {
  attachments: readonly Attachment[];
  files: ReadonlyMap<string, { name: string; type: string; data: string }>;
  onView: (ref: string) => void;
}) {
  const t = useT();
  return (
    <Group gap="xs" data-testid="case-attachments">
      <Text size="sm">
        {t('case.page.attachments')}
        {t('places.colon')}
      </Text>
      {attachments.map((a) => {
        const file = files.get(a.ref);
        if (!file)
          return (
            <Text key={a.id} span size="sm">
              {a.name}
            </Text>
          );
        return file.type.startsWith('image/') ? (
          <Button
            key={a.id}
            size="compact-sm"
            variant="subtle"
            aria-label={t('case.page.openImage', { name: a.name })}
            onClick={() => onView(a.ref)}
          >
            {a.name}
          </Button>
        ) : (
          <Anchor
            key={a.id}
            size="sm"
            href={file.data}
            download={file.name}
            aria-label={t('case.page.download', { name: a.name })}
          >
            {a.name}
          </Anchor>
        );
      })}
    </Group>
  );
}

/** Adds a photo or a file to the case after intake (a new evidence photo, a page signed on paper). */
export function AddAttachment({ c, run, busy, error }: Pick<ActionProps, 'c' | 'run' | 'busy' | 'error'>) {
  const t = useT();
  const platform = usePlatform();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [failed, setFailed] = useState(false);
  const add = async () => {
    setMessage(null);
    setFailed(false);
    let picked;
    try {
      picked = await pickAttachment(platform);
    } catch (problem) {
      setMessage({ ok: false, text: problem instanceof Error ? problem.message : String(problem) });
      return;
    }
    if (picked.kind === 'too-big')
      setMessage({ ok: false, text: t('case.intake.attachTooBig', { name: picked.name }) });
    if (picked.kind !== 'picked') return;
    const name = picked.file.name.slice(0, 100);
    const ref = await run(storeCaseFile, { ...picked.file, name, caseId: c.id });
    const added = ref === null ? null : await run(addCaseAttachment, { caseId: c.id, name, ref });
    if (added === null) setFailed(true);
    else setMessage({ ok: true, text: t('case.page.attached', { name }) });
  };
  return (
    <Stack gap={4}>
      <Group gap="xs">
        <Button size="xs" variant="default" loading={busy} onClick={() => void add()}>
          {t('case.page.attach')}
        </Button>
        <Text size="xs" c="dimmed">
          {t('case.intake.attachHint')}
        </Text>
      </Group>
      {message && (
        <Text size="sm" c={message.ok ? 'green' : 'red'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </Text>
      )}
      {failed && error && (
        <Alert color="red" role="alert" p="xs">
          <CaseErrorText error={error} />
        </Alert>
      )}
    </Stack>
  );
}
