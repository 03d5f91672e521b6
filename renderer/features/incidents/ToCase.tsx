/**
 * 转为调解案件: a dispute found as a grid event goes to five-heads mediation with one action. The case is registered
 * with the event's building (its five-heads chain, docs/mediation-model.md) or its place as written, its content as the
 * facts, and the two parties named here; the event then records a `linked` step naming the case
 * (`<year>/<case id>`), shown as a link on its page.
 */
import { Button, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { intakeCase } from '@shared/domain/mediation/commands';
import type { IntakeInput } from '@shared/domain/mediation/inputs';
import {
  CASE_CATEGORIES,
  RISK_LEVELS,
  type CaseCategory,
  type CaseSource,
  type RiskLevel,
} from '@shared/domain/mediation/types';
import { linkIncident } from '@shared/domain/incidents/commands';
import type { IncidentSource } from '@shared/domain/incidents/types';
import type { DomainError } from '@shared/domain/result';
import { docName } from '@shared/ydoc/docName';
import { useStore } from '../../data/hooks';
import { useT } from '../../i18n';
import { thisYear } from './data';
import type { MakeFormProps } from './makeForm';
import { IncidentError } from './IncidentActions';

const CASE_SOURCE: Readonly<Record<IncidentSource, CaseSource>> = {
  patrol: 'head-found',
  volunteer: 'head-found',
  resident: 'resident-request',
  hotline: 'assigned',
  higher: 'assigned',
};

/** The link an event keeps to a case: `<year>/<case id>` (the case's document year and id). */
export function caseLinkId(year: number, caseId: string): string {
  return `${year}/${caseId}`;
}

export function ToCaseForm({ community, state, placeText, commands, onDone, onCancel }: MakeFormProps) {
  const t = useT();
  const store = useStore();
  const [applicant, setApplicant] = useState(state.base.reporter.anonymous ? '' : state.base.reporter.name);
  const [respondent, setRespondent] = useState('');
  const [category, setCategory] = useState<CaseCategory>('neighbours');
  const [risk, setRisk] = useState<RiskLevel>('blue');
  const [error, setError] = useState<DomainError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const base = state.base;
      const year = thisYear();
      const input: IntakeInput = {
        place: {
          buildingId: base.place.building,
          householdId: base.place.household,
          address: base.place.building === null ? placeText.slice(0, 200) : '',
        },
        source: CASE_SOURCE[base.source],
        category,
        risk,
        parties: [
          { role: 'applicant', name: applicant, phone: base.reporter.phone === '' ? null : base.reporter.phone },
          { role: 'respondent', name: respondent },
        ],
        facts: `${base.title}\n${base.content}`,
      };
      const { doc: registry } = await store.registry(community);
      const made = await store.runOn(
        docName({ community, collection: 'cases', year }),
        (doc, ctx, value: IntakeInput) => intakeCase(doc, ctx, value, registry),
        input,
      );
      if (!made.ok) {
        setError(made.error);
        return;
      }
      const linked = await commands.run(linkIncident, {
        incidentId: base.id,
        link: 'case',
        recordId: caseLinkId(year, made.value),
      });
      if (linked !== null) onDone();
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      aria-label={t('incident.toCase.title')}
      data-testid="incident-to-case"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <Stack gap="xs">
        <Text size="sm" c="dimmed">
          {t('incident.toCase.hint')}
        </Text>
        <Group grow align="start">
          <TextInput
            label={t('incident.toCase.applicant')}
            value={applicant}
            onChange={(event) => setApplicant(event.currentTarget.value)}
            maxLength={40}
            withAsterisk
          />
          <TextInput
            label={t('incident.toCase.respondent')}
            value={respondent}
            onChange={(event) => setRespondent(event.currentTarget.value)}
            maxLength={40}
            withAsterisk
          />
        </Group>
        <Group grow align="start">
          <NativeSelect
            label={t('incident.toCase.category')}
            value={category}
            onChange={(event) => setCategory(event.currentTarget.value as CaseCategory)}
            data={CASE_CATEGORIES.map((value) => ({ value, label: t(`case.category.${value}`) }))}
          />
          <NativeSelect
            label={t('incident.toCase.risk')}
            value={risk}
            onChange={(event) => setRisk(event.currentTarget.value as RiskLevel)}
            data={RISK_LEVELS.map((value) => ({ value, label: t(`case.risk.${value}`) }))}
          />
        </Group>
        <IncidentError error={error ?? commands.error} />
        <Group gap="xs">
          <Button type="submit" size="xs" loading={busy}>
            {t('incident.submit')}
          </Button>
          <Button size="xs" variant="default" onClick={onCancel}>
            {t('incident.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
