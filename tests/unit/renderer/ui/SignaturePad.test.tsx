import { describe, expect, it } from 'vitest';
import { typedSignatureImage } from '../../../../renderer/ui/SignaturePad';

describe('a typed signature', () => {
  it('is captioned in Chinese with the China time it was typed, not in English with UTC', () => {
    // 15:45 UTC is 23:45 in China: the caption a worker signing at 23:45 expects on the printed agreement.
    const image = typedSignatureImage('王芳', new Date('2026-12-01T15:45:35.085Z'));
    const svg = decodeURIComponent(image.slice(image.indexOf(',') + 1));
    expect(svg).toContain('王芳');
    expect(svg).toContain('电子签名 2026-12-01 23:45');
    expect(svg).not.toMatch(/typed|T15:45|Z</);
  });

  it('puts the day after midnight in China on the China day', () => {
    const svg = decodeURIComponent(typedSignatureImage('李', new Date('2026-12-31T16:05:00Z')));
    expect(svg).toContain('电子签名 2027-01-01 00:05');
  });
});
