/**
 * The parties of a case on the case page. Phones are personal data (PIPL art. 28, docs/security.md): shown in full
 * only to a device whose role may reveal them (`registry.reveal`), masked with the registry's mask otherwise (a
 * viewer). Even in full on screen, a print of the page itself shows them masked (print.css `.cgw-screen-only` /
 * `.cgw-print-only`): full numbers leave the device only through the dossier and agreement prints, whose print is
 * logged first (PrintViews.tsx, `usePrintAudit`).
 */
import { Table, Text } from '@mantine/core';
import { hasPermission, type Permission } from '@shared/domain/kernel';
import type { Party } from '@shared/domain/mediation/types';
import { maskPhone } from '@shared/domain/registry/mask';
import { useT } from '../../i18n';
import './print.css';

/** Whether this device may see the parties' full phones (the registry's reveal permission). */
export function mayRevealPhones(permissions: ReadonlySet<Permission>): boolean {
  return hasPermission(permissions, 'registry.reveal');
}

function Phone({ phone, reveal }: { phone: string | null; reveal: boolean }) {
  if (phone === null) return null;
  if (!reveal) return <span data-testid="party-phone">{maskPhone(phone)}</span>;
  return (
    <span data-testid="party-phone">
      <span className="cgw-screen-only">{phone}</span>
      <span className="cgw-print-only">{maskPhone(phone)}</span>
    </span>
  );
}

export function CaseParties({
  parties,
  permissions,
}: {
  parties: readonly Party[];
  permissions: ReadonlySet<Permission>;
}) {
  const t = useT();
  const reveal = mayRevealPhones(permissions);
  return (
    <>
      <Table data-testid="case-parties">
        <Table.Tbody>
          {parties.map((p) => (
            <Table.Tr key={p.id}>
              <Table.Td>{t(`case.role.${p.role}`)}</Table.Td>
              <Table.Td>{p.name}</Table.Td>
              <Table.Td>{p.sex ? t(`case.sex.${p.sex}`) : ''}</Table.Td>
              <Table.Td>{p.age ?? ''}</Table.Td>
              <Table.Td>
                <Phone phone={p.phone} reveal={reveal} />
              </Table.Td>
              <Table.Td>{p.address}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {!reveal && parties.some((p) => p.phone !== null) && (
        <Text size="xs" c="dimmed" mt={4}>
          {t('case.page.phonesMasked')}
        </Text>
      )}
    </>
  );
}
