import { ownSignatories } from '@shared/domain/meetings/machine';
import type { Signature } from '@shared/domain/meetings/types';
import type { StoredMeeting } from '@shared/ydoc/meetings';
import { useT } from '../../../i18n';
import type { MeetingFiles } from '../data';
import { dayOf, ROLE_LABELS } from '../labels';
import { TypedSignature } from '../TypedSignature';
import classes from './print.module.css';

/**
 * The signature block of the printed minutes: host, recorder, then the listed signatories who sign in their own
 * right. A signatory who is also the chair or the recorder signs once (machine.ts `ownSignatories`), so the page
 * has one line per person.
 */
export function SignatureLines({
  meeting,
  signatures,
  files,
}: {
  meeting: StoredMeeting;
  signatures: readonly Signature[];
  files: MeetingFiles | undefined;
}) {
  const t = useT();
  const slot = (role: 'host' | 'recorder', expectedName: string) => {
    const signed = signatures.find((s) => s.role === role);
    return {
      role,
      name: signed?.name ?? expectedName,
      at: signed ? dayOf(signed.at) : null,
      signature: signed ?? null,
    };
  };
  const lines = [
    slot('host', meeting.chair.name),
    slot('recorder', meeting.recorder.name),
    ...ownSignatories(meeting).map((p) => {
      const signed = signatures.find((s) => s.role === 'signatory' && s.name === p.name);
      return {
        role: 'signatory' as const,
        name: p.name,
        at: signed ? dayOf(signed.at) : null,
        signature: signed ?? null,
      };
    }),
  ];
  return (
    <table>
      <tbody>
        {lines.map((line, i) => (
          <tr key={`${line.role}-${i}`} data-testid="print-signature-line">
            <th>{t(ROLE_LABELS[line.role])}</th>
            <td>
              {line.at === null ? (
                <span className={classes.signLine}>&nbsp;</span>
              ) : (
                <SignedLine name={line.name} at={line.at} signature={line.signature} files={files} />
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * A given signature: its image (drawn, or the photo of the page signed on paper), then name and date. A signature
 * typed on screen prints as the typed name with a caption in local time and Chinese wording (`TypedSignature`), not
 * as the stored picture, whose caption older versions wrote in English and UTC.
 */
function SignedLine({
  name,
  at,
  signature,
  files,
}: {
  name: string;
  at: string;
  signature: Signature | null;
  files: MeetingFiles | undefined;
}) {
  const t = useT();
  const typed = signature?.method === 'typed' ? signature : null;
  const image = typed ? null : (files?.byRef(signature?.image) ?? null);
  return (
    <span className={classes.signed}>
      {typed && <TypedSignature signature={typed} className={classes.typedSignature} />}
      {image && (
        <img
          className={signature?.method === 'paper' ? classes.paperSignature : classes.signature}
          src={image.data}
          alt={t('mtg.sign.imageOf', { name })}
          data-testid="print-signature-image"
        />
      )}
      {t('mtg.doc.signedOn', { name, date: at })}
      {signature?.method === 'paper' && `（${t('mtg.sign.method.paper')}）`}
    </span>
  );
}
