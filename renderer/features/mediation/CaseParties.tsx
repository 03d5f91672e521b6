/**
 * The parties of a case on the case page. Phones are personal data (PIPL art. 28, docs/security.md): shown in full
 * only to a device whose role may reveal them (`registry.reveal`), masked with the registry's mask otherwise (a
 * viewer). Even in full on screen, a print of the page itself shows them masked (print.css `.cgw-screen-only` /
 * `.cgw-print-only`): full numbers leave the device only through the dossier and agreement prints, whose print is
 * logged first (PrintViews.tsx, `usePrintAudit`). A minor party's guardian is shown under the party, their ID number
 * and phone masked the same way; a minor without a guardian gets a warning and, while the machine offers it, the form
 * to record one (docs/domain.md, "Minors").
 */
import { Badge, Button, Stack, Table, Text } from '@mantine/core';
import { Fragment, useState } from 'react';
import { hasPermission, type Permission } from '@shared/domain/kernel';
import { setCasePartyGuardian } from '@shared/domain/mediation/commands';
import { isMinorParty, partyAge, partyCapacity } from '@shared/domain/mediation/minors';
import type { MediationCase, Party } from '@shared/domain/mediation/types';
import { maskIdNumber, maskPhone } from '@shared/domain/registry/mask';
import { useT } from '../../i18n';
import { FormShell, type ActionProps } from './formParts';
import { EMPTY_GUARDIAN, GuardianFields, MinorWarning, guardianInput } from './GuardianFields';
import './print.css';

/** Whether this device may see the parties' full phones (the registry's reveal permission). */
export function mayRevealPhones(permissions: ReadonlySet<Permission>): boolean {
  return hasPermission(permissions, 'registry.reveal');
}

function Sensitive({
  value,
  mask,
  reveal,
  testId,
}: {
  value: string | null;
  mask: (v: string) => string;
  reveal: boolean;
  testId: string;
}) {
  if (value === null) return null;
  if (!reveal) return <span data-testid={testId}>{mask(value)}</span>;
  return (
    <span data-testid={testId}>
      <span className="cgw-screen-only">{value}</span>
      <span className="cgw-print-only">{mask(value)}</span>
    </span>
  );
}

function Phone({ phone, reveal }: { phone: string | null; reveal: boolean }) {
  return <Sensitive value={phone} mask={maskPhone} reveal={reveal} testId="party-phone" />;
}

/** The form that records a minor party's guardian (`setCasePartyGuardian`). */
function RecordGuardian({ party, actions }: { party: Party; actions: Omit<ActionProps, 'done'> }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState(EMPTY_GUARDIAN);
  const guardian = guardianInput(draft);
  if (!open) {
    return (
      <Button size="xs" variant="light" onClick={() => setOpen(true)}>
        {t('case.minor.setGuardian', { name: party.name })}
      </Button>
    );
  }
  return (
    <FormShell
      label={t('case.minor.setGuardian', { name: party.name })}
      busy={actions.busy}
      error={actions.error}
      submitLabel={t('case.minor.saveGuardian')}
      onSubmit={async () => {
        if (guardian === null) return;
        const done = await actions.run(setCasePartyGuardian, { caseId: actions.c.id, partyId: party.id, guardian });
        if (done !== null) setOpen(false);
      }}
    >
      <GuardianFields partyName={party.name} value={draft} onChange={setDraft} />
    </FormShell>
  );
}

export function CaseParties({
  c,
  permissions,
  actions,
}: {
  c: Pick<MediationCase, 'parties' | 'startDate'>;
  permissions: ReadonlySet<Permission>;
  /** Given when the machine offers `setGuardian`: the form to record a minor's guardian. */
  actions?: Omit<ActionProps, 'done'>;
}) {
  const t = useT();
  const reveal = mayRevealPhones(permissions);
  const { parties } = c;
  return (
    <>
      <Table data-testid="case-parties">
        <Table.Tbody>
          {parties.map((p) => {
            const capacity = partyCapacity(c, p);
            const minor = isMinorParty(c, p);
            const guardian = p.guardian ?? null;
            return (
              <Fragment key={p.id}>
                <Table.Tr>
                  <Table.Td>{t(`case.role.${p.role}`)}</Table.Td>
                  <Table.Td>
                    {p.name}{' '}
                    {minor && (
                      <Badge size="xs" color="orange" data-testid="party-minor">
                        {t(capacity === 'none' ? 'case.minor.badge.none' : 'case.minor.badge.limited')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{p.sex ? t(`case.sex.${p.sex}`) : ''}</Table.Td>
                  <Table.Td>{partyAge(p, c.startDate) ?? ''}</Table.Td>
                  <Table.Td>
                    <Phone phone={p.phone} reveal={reveal} />
                  </Table.Td>
                  <Table.Td>{p.address}</Table.Td>
                </Table.Tr>
                {minor && (
                  <Table.Tr>
                    <Table.Td colSpan={6}>
                      {guardian !== null ? (
                        <Text size="sm" data-testid="party-guardian">
                          {t('case.minor.guardianLine', {
                            name: guardian.name,
                            relation: t(`case.minor.relation.${guardian.relation}`),
                          })}{' '}
                          <Sensitive
                            value={guardian.idNumber}
                            mask={maskIdNumber}
                            reveal={reveal}
                            testId="guardian-id"
                          />{' '}
                          <Sensitive value={guardian.phone} mask={maskPhone} reveal={reveal} testId="guardian-phone" />
                        </Text>
                      ) : (
                        <Stack gap={4}>
                          <MinorWarning name={p.name} age={partyAge(p, c.startDate)} capacity={capacity} />
                          {actions && <RecordGuardian party={p} actions={actions} />}
                        </Stack>
                      )}
                    </Table.Td>
                  </Table.Tr>
                )}
              </Fragment>
            );
          })}
        </Table.Tbody>
      </Table>
      {!reveal && parties.some((p) => p.phone !== null || (p.guardian?.phone ?? null) !== null) && (
        <Text size="xs" c="dimmed" mt={4}>
          {t('case.page.phonesMasked')}
        </Text>
      )}
    </>
  );
}
