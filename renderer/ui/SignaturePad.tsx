import { Button, Group, Stack, Text } from '@mantine/core';
import { useRef, type PointerEvent } from 'react';
import { chinaMinute } from '@shared/domain/dates';
import { useT } from '../i18n';

/** Escapes text for an SVG document. */
function xml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The keyboard alternative to drawing: the signer types their own name, kept as a small SVG image of the typed name
 * (marked as typed), so every signature of a record is an image the printed agreement can show. The caption is part of
 * the record and of the printed Chinese document: 电子签名 and the China time it was typed, never UTC.
 */
export function typedSignatureImage(name: string, at: Date): string {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="80">` +
    `<text x="10" y="45" font-size="32" font-family="serif">${xml(name)}</text>` +
    `<text x="10" y="72" font-size="11" fill="#666">电子签名 ${xml(chinaMinute(at))}</text></svg>`;
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/** A canvas to sign on with a mouse, finger or pen. Reports the drawing as a PNG data URL (null when blank). */
export function SignaturePad({ label, onChange }: { label: string; onChange: (image: string | null) => void }) {
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
          {t('ui.sign.clear')}
        </Button>
      </Group>
    </Stack>
  );
}
