import { Alert, Button, Group, NativeSelect, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useRef, useState, type PointerEvent, type SyntheticEvent } from 'react';
import type { Signer } from '@shared/domain/mediation/types';
import { useT } from '../../i18n';
import { usePlatform } from '../../platform';
import { pickCaseFile, type PickedFile } from './files';
import { signerKey, signerOfKey } from './labels';

export type SignatureInput = { kind: 'on-screen'; image: string } | { kind: 'on-paper'; photo: PickedFile };

type Method = 'pad' | 'typed' | 'paper';

/** Escapes text for an SVG document. */
function xml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The keyboard alternative to drawing: the signer types their own name, kept as a small SVG image of the typed name
 * (marked as typed), so every signature of a record is an image the printed agreement can show.
 */
export function typedSignatureImage(name: string, at: Date): string {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="80">` +
    `<text x="10" y="45" font-size="32" font-family="serif">${xml(name)}</text>` +
    `<text x="10" y="72" font-size="11" fill="#666">typed ${xml(at.toISOString())}</text></svg>`;
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/** A canvas to sign on with a mouse, finger or pen. Reports the drawing as a PNG data URL (null when blank). */
function SignaturePad({ label, onChange }: { label: string; onChange: (image: string | null) => void }) {
  const t = useT();
  const canvas = useRef<HTMLCanvasElement>(null);
  const drawing = useRef(false);
  const inked = useRef(false);

  const point = (event: PointerEvent<HTMLCanvasElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    const scaleX = event.currentTarget.width / rect.width;
    const scaleY = event.currentTarget.height / rect.height;
    return { x: (event.clientX - rect.left) * scaleX, y: (event.clientY - rect.top) * scaleY };
  };
  const context = () => canvas.current?.getContext('2d') ?? null;

  const clear = () => {
    const c = canvas.current;
    const ctx = context();
    if (c && ctx) ctx.clearRect(0, 0, c.width, c.height);
    inked.current = false;
    onChange(null);
  };

  return (
    <Stack gap={4}>
      <Text size="sm">{label}</Text>
      <canvas
        ref={canvas}
        width={480}
        height={160}
        role="img"
        aria-label={label}
        data-testid="signature-pad"
        style={{ border: '1px solid var(--mantine-color-gray-5)', touchAction: 'none', maxWidth: '100%' }}
        onPointerDown={(event) => {
          const ctx = context();
          if (!ctx) return;
          event.currentTarget.setPointerCapture(event.pointerId);
          drawing.current = true;
          const { x, y } = point(event);
          ctx.lineWidth = 2.5;
          ctx.lineCap = 'round';
          ctx.strokeStyle = '#000';
          ctx.beginPath();
          ctx.moveTo(x, y);
        }}
        onPointerMove={(event) => {
          const ctx = context();
          if (!drawing.current || !ctx) return;
          const { x, y } = point(event);
          ctx.lineTo(x, y);
          ctx.stroke();
          inked.current = true;
        }}
        onPointerUp={() => {
          drawing.current = false;
          if (inked.current) onChange(canvas.current?.toDataURL('image/png') ?? null);
        }}
      />
      <Group>
        <Button size="xs" variant="default" onClick={clear}>
          {t('case.sign.clear')}
        </Button>
      </Group>
    </Stack>
  );
}

/**
 * Collects one signature at a time for a session record or an agreement: the signer (among those still missing), then
 * a drawing on screen, the signer's typed name (keyboard), or a photo of the page signed on paper.
 */
export function SignatureForm({
  missing,
  nameOf,
  busy,
  onSign,
}: {
  missing: readonly Signer[];
  /** The name a signer must type to confirm (party name, mediator's or recorder's name). */
  nameOf: (signer: Signer) => string;
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
  const expected = nameOf(signer);

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
                void pickCaseFile(platform, true).then((picked) => {
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
