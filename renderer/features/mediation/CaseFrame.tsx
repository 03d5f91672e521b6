/** The frame pieces of the case page: its sections, the frame of an opened form, signatures and their photos. */
import { Button, Card, Group, Title } from '@mantine/core';
import { useCallback, type ReactNode } from 'react';
import { storeCaseFile } from '@shared/domain/mediation/commands';
import type { CaseId, Signature, Signer } from '@shared/domain/mediation/types';
import type { SignSessionInput } from '@shared/domain/mediation/inputs';
import { useT, type Translate } from '../../i18n';
import type { SignatureInput } from './SignatureForm';
import type { CaseRun } from './useCases';

/** A signature as a sign command takes it: drawn or typed on screen, or the stored photo of the paper page. */
export type SignatureValue = SignSessionInput['signature'];

export function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <Card withBorder component="section" aria-label={title} data-testid={testId}>
      <Title order={3} size="h5" mb="xs">
        {title}
      </Title>
      {children}
    </Card>
  );
}

/**
 * The frame of a form opened from a button (an action, a signature, an edit). With `focus`, the keyboard focus moves
 * to its first field when it opens, so Tab order continues inside it.
 */
export function ActionFrame({ children, focus = false, mt }: { children: ReactNode; focus?: boolean; mt?: 'xs' }) {
  const focusFirstField = useCallback(
    (card: HTMLDivElement | null) => {
      if (focus) card?.querySelector<HTMLElement>('input, select, textarea')?.focus();
    },
    [focus],
  );
  return (
    <Card withBorder mt={mt} ref={focusFirstField}>
      {children}
    </Card>
  );
}

/** Buttons that open the photo of each page signed on paper (in the case's image viewer). */
export function PaperPhotos({
  signatures,
  nameOf,
  onView,
}: {
  signatures: readonly Signature[];
  nameOf: (signer: Signer) => string;
  onView: (ref: string) => void;
}) {
  const t = useT();
  const paper = signatures.filter((s): s is Extract<Signature, { kind: 'on-paper' }> => s.kind === 'on-paper');
  if (paper.length === 0) return null;
  return (
    <Group gap="xs" mt={4}>
      {paper.map((s) => (
        <Button key={s.photo} size="compact-xs" variant="subtle" onClick={() => onView(s.photo)}>
          {t('case.sign.viewPhoto', { name: nameOf(s.signer) })}
        </Button>
      ))}
    </Group>
  );
}

export function signedList(
  t: Translate,
  record: { signatures: readonly { signer: Signer; kind: string }[] },
  nameOf: (signer: Signer) => string,
) {
  return record.signatures
    .map((s) => `${nameOf(s.signer)}${s.kind === 'on-paper' ? `（${t('case.sign.onPaper')}）` : ''}`)
    .join('、');
}

/** Signs with a drawing, a typed name or a photo of the paper page (stored in the document first). */
export function useSign(run: CaseRun, caseId: CaseId) {
  return async (signature: SignatureInput, sign: (signature: SignatureValue) => Promise<unknown>) => {
    if (signature.kind === 'on-screen') return (await sign({ kind: 'on-screen', image: signature.image })) !== null;
    const ref = await run(storeCaseFile, { caseId, ...signature.photo });
    if (ref === null) return false;
    return (await sign({ kind: 'on-paper', photo: ref })) !== null;
  };
}
