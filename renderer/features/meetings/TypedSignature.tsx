import type { Signature } from '@shared/domain/meetings/types';
import { useT } from '../../i18n';
import { formatWhen } from './labels';

/**
 * A signature typed on screen: the signer's name as typed, and under it "电子签名 2026-12-01 23:45", the time in China
 * (labels.ts `formatWhen`), whatever the device's zone. Shown on the page and printed in the minutes.
 */
export function TypedSignature({ signature, className }: { signature: Signature; className?: string }) {
  const t = useT();
  return (
    <span className={className} data-testid="typed-signature">
      <span style={{ fontFamily: 'serif', fontSize: '1.4em', display: 'block', lineHeight: 1.1 }}>
        {signature.name}
      </span>
      <span style={{ fontSize: '0.7em', color: '#666', display: 'block' }}>
        {t('mtg.sign.typedCaption', { when: formatWhen(signature.at) })}
      </span>
    </span>
  );
}
