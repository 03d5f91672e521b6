import { Alert, Button, Group, NativeSelect, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useState, type SyntheticEvent } from 'react';
import type { Signer } from '@shared/domain/mediation/types';
import { useT } from '../../i18n';
import { usePlatform } from '../../platform';
import { pickAttachment, type PickedFile } from '../../ui/files';
import { SignaturePad, typedSignatureImage } from '../../ui/SignaturePad';
import { signerKey, signerOfKey } from './labels';

export type SignatureInput = { kind: 'on-screen'; image: string } | { kind: 'on-paper'; photo: PickedFile };

type Method = 'pad' | 'typed' | 'paper';

/**
 * Collects one signature at a time for a session record or an agreement: the signer (among those still missing), then
 * a drawing on screen, the signer's typed name (keyboard), or a photo of the page signed on paper.
 */
export function SignatureForm({
  missing,
  nameOf,
  typedNameOf = nameOf,
  busy,
  onSign,
}: {
  missing: readonly Signer[];
  /** The name a signer must type to confirm (party name, mediator's or recorder's name). */
  nameOf: (signer: Signer) => string;
  /** The name to type when it differs from the label (a guardian types their own name, not "X的监护人"). */
  typedNameOf?: (signer: Signer) => string;
  busy: boolean;
  onSign: (signer: Signer, signature: SignatureInput) => Promise<boolean>;
}) {
  const t = useT();
  const platform = usePlatform();
  const [key, setKey] = useState(missing[0] ? signerKey(missing[0]) : '');
  const [method, setMethod] = useState<Method>('typed');
  const [image, setImage] = useState<string | null>(null);
  const [typed, setTyped] = useState('');
  const [photo, setPhoto] = useState<PickedFile | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const keys = missing.map(signerKey);
  const chosen = keys.includes(key) ? key : (keys[0] ?? '');
  const reset = () => {
    setTyped('');
    setImage(null);
    setPhoto(null);
    setProblem(null);
  };
  if (missing.length === 0) return null;
  const signer = signerOfKey(chosen);
  const expected = typedNameOf(signer);

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    setProblem(null);
    let signature: SignatureInput;
    if (method === 'pad') {
      if (image === null) {
        setProblem(t('case.sign.needInk'));
        return;
      }
      signature = { kind: 'on-screen', image };
    } else if (method === 'typed') {
      if (typed.trim() !== expected.trim()) {
        setProblem(t('case.sign.typedMismatch'));
        return;
      }
      signature = { kind: 'on-screen', image: typedSignatureImage(typed.trim(), new Date()) };
    } else {
      if (photo === null) {
        setProblem(t('case.sign.needPhoto'));
        return;
      }
      signature = { kind: 'on-paper', photo };
    }
    if (await onSign(signer, signature)) reset();
  };

  return (
    <form onSubmit={(event) => void submit(event)} aria-label={t('case.sign.title')} data-testid="signature-form">
      <Stack gap="xs">
        <NativeSelect
          label={t('case.sign.signer')}
          value={chosen}
          onChange={(event) => {
            setKey(event.currentTarget.value);
            reset();
          }}
          data={missing.map((s) => ({ value: signerKey(s), label: nameOf(s) }))}
        />
        <SegmentedControl
          value={method}
          onChange={(value) => setMethod(value)}
          aria-label={t('case.sign.method')}
          data={[
            { value: 'typed', label: t('case.sign.method.typed') },
            { value: 'pad', label: t('case.sign.method.pad') },
            { value: 'paper', label: t('case.sign.method.paper') },
          ]}
        />
        {method === 'pad' && <SignaturePad key={chosen} label={t('case.sign.pad')} onChange={setImage} />}
        {method === 'typed' && (
          <TextInput
            label={t('case.sign.typed')}
            description={expected}
            value={typed}
            onChange={(event) => setTyped(event.currentTarget.value)}
          />
        )}
        {method === 'paper' && (
          <Group>
            <Button
              variant="default"
              size="xs"
              onClick={() =>
                void pickAttachment(platform, true).then((picked) => {
                  if (picked.kind === 'picked') setPhoto(picked.file);
                  else if (picked.kind === 'too-big') setProblem(t('case.intake.attachTooBig', { name: picked.name }));
                })
              }
            >
              {t('case.sign.photo')}
            </Button>
            {photo && <Text size="sm">{photo.name}</Text>}
          </Group>
        )}
        {problem && (
          <Alert color="red" role="alert" p="xs">
            {problem}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={busy}>
            {t('case.sign.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
