import { Button, Group, List, NativeSelect, Stack, Text, Title } from '@mantine/core';
import { useCallback, useState } from 'react';
import type * as Y from 'yjs';
import { formatCaseNumber } from '@shared/domain/mediation/caseNumber';
import { linkCase } from '@shared/domain/meetings/commands';
import { listCases } from '@shared/ydoc/cases';
import { docName } from '@shared/ydoc/docName';
import { useDocValue } from '../../data/hooks';
import { useT } from '../../i18n';
import { useRegistryInfo } from '../mediation';
import { useMeetingCommand } from './data';
import { ErrorLine } from './ErrorLine';
import type { MeetingContext } from './meetingContext';

export interface CaseChoice {
  readonly id: string;
  readonly label: string;
}

/**
 * Mediation cases of a year as "(2026)顺人调字第 12 号 parties", the case number written as on the case's own pages
 * (`formatCaseNumber`, docs/mediation-model.md): only ids and what identifies them, nothing of the case file.
 */
export function caseChoices(doc: Y.Doc, numberPrefix = ''): CaseChoice[] {
  return listCases(doc)
    .map((c) => ({
      id: c.id,
      number: c.number,
      label: `${formatCaseNumber(c.year, c.number, { prefix: numberPrefix })} ${c.parties
        .map((p) => p.name)
        .filter(Boolean)
        .join('、')}`.trim(),
    }))
    .sort((a, b) => a.number - b.number)
    .map(({ id, label }) => ({ id, label }));
}

/** Links the meeting to the mediation cases it discussed (cases of the meeting's year). */
export function CasesSection({ ctx }: { ctx: MeetingContext }) {
  const t = useT();
  const commands = useMeetingCommand(ctx.community, ctx.year);
  const { meeting } = ctx;
  const prefix = useRegistryInfo(ctx.community)?.numberPrefix ?? '';
  const cases = useDocValue(
    docName({ community: ctx.community, collection: 'cases', year: ctx.year }),
    useCallback((doc: Y.Doc) => caseChoices(doc, prefix), [prefix]),
  );
  const [chosen, setChosen] = useState('');
  const label = (id: string) => cases?.find((c) => c.id === id)?.label ?? id;
  const available = (cases ?? []).filter((c) => !meeting.caseIds.some((linked) => linked === c.id));
  const may = ctx.may('link-case');
  if (!may && meeting.caseIds.length === 0) return null;
  const link = (caseId: string, linked: boolean) =>
    void commands.run(linkCase, { meetingId: meeting.id, caseId, linked }).then(() => setChosen(''));
  return (
    <Stack component="section" aria-labelledby="mtg-cases">
      <Title order={3} id="mtg-cases">
        {t('mtg.cases.title')}
      </Title>
      {meeting.caseIds.length === 0 ? (
        <Text c="dimmed">{t('mtg.cases.none')}</Text>
      ) : (
        <List>
          {meeting.caseIds.map((id) => (
            <List.Item key={id}>
              <Group gap="xs">
                <Text size="sm">{label(id)}</Text>
                {may && (
                  <Button size="compact-xs" variant="subtle" onClick={() => link(id, false)}>
                    {t('mtg.cases.unlink')}
                  </Button>
                )}
              </Group>
            </List.Item>
          ))}
        </List>
      )}
      {may && (
        <Group align="end">
          <NativeSelect
            label={t('mtg.cases.pick')}
            value={chosen}
            onChange={(event) => setChosen(event.currentTarget.value)}
            data={[
              { value: '', label: available.length === 0 ? t('mtg.cases.noneAvailable') : t('mtg.create.choose') },
              ...available.map((c) => ({ value: c.id, label: c.label })),
            ]}
          />
          <Button variant="default" disabled={chosen === ''} onClick={() => link(chosen, true)}>
            {t('mtg.cases.link')}
          </Button>
        </Group>
      )}
      <ErrorLine error={commands.error} />
    </Stack>
  );
}
