/** The forms of a session record (调解笔录) and an agreement (调解协议): new, or the edit of an unsigned one. */
import { Checkbox, Group, NativeSelect, SimpleGrid, Text, TextInput, Textarea } from '@mantine/core';
import { useState } from 'react';
import {
  reachCaseAgreement,
  recordCaseSession,
  updateCaseAgreement,
  updateCaseSession,
} from '@shared/domain/mediation/commands';
import {
  AGREEMENT_KINDS,
  type Agreement,
  type AgreementKind,
  type PartyId,
  type SessionRecord,
} from '@shared/domain/mediation/types';
import type { MediationCase } from '@shared/domain/mediation/types';
import { useT } from '../../i18n';
import { changedFields, finish, FormShell, localInput, localNow, type ActionProps } from './formParts';
import { currentHead } from './useCases';
import { DateField } from '../../ui/DateField';
import { DateTimeField } from '../../ui/DateTimeField';

/** The case's latest session record that stands (not superseded by a correction), if any. */
function latestSession(c: MediationCase): SessionRecord | undefined {
  return Object.values(c.sessions)
    .filter((s) => s.supersededBy === null)
    .sort((a, b) => (a.at < b.at ? 1 : -1))[0];
}

/** 调解笔录: a new record, or (`draft`) the edit of an unsigned one (`updateSession`; a signed one is corrected). */
export function SessionForm({
  c,
  run,
  busy,
  error,
  userName,
  info,
  done,
  draft,
}: ActionProps & { readonly draft?: SessionRecord }) {
  const t = useT();
  // A new record names the mediator of the last session, else the head who holds the case now (楼栋长 … 片长).
  const mediatorDefault = () => latestSession(c)?.mediatorName || currentHead(c, info)?.name || '';
  const [at, setAt] = useState(() => (draft ? localInput(new Date(draft.at)) : localNow()));
  const [place, setPlace] = useState(draft?.place ?? c.place.address);
  const [present, setPresent] = useState<PartyId[]>(draft ? [...draft.presentPartyIds] : c.parties.map((p) => p.id));
  const [others, setOthers] = useState(draft?.others.join('、') ?? '');
  const [mediatorName, setMediatorName] = useState(() => draft?.mediatorName ?? mediatorDefault());
  const [recorderName, setRecorderName] = useState(draft?.recorderName ?? userName);
  const [statements, setStatements] = useState<Record<string, string>>(draft ? { ...draft.statements } : {});
  const [factsChecked, setFactsChecked] = useState(draft?.factsChecked ?? '');
  const [result, setResult] = useState(draft?.result ?? '');
  const submit = () => {
    const content = {
      // The minute shown unchanged keeps the recorded instant (the input has no seconds).
      at: draft && at === localInput(new Date(draft.at)) ? draft.at : new Date(at).toISOString(),
      place,
      presentPartyIds: present,
      others: others
        .split(/[,，、]/)
        .map((s) => s.trim())
        .filter(Boolean),
      mediatorName,
      recorderName,
      statements: Object.fromEntries(Object.entries(statements).filter(([id]) => present.some((p) => p === id))),
      factsChecked,
      result,
    };
    if (draft === undefined) return finish(run(recordCaseSession, { caseId: c.id, ...content }), done);
    const changes = changedFields(draft, content);
    if (Object.keys(changes).length === 0) {
      done();
      return Promise.resolve();
    }
    return finish(run(updateCaseSession, { caseId: c.id, sessionId: draft.id, changes }), done);
  };
  return (
    <FormShell
      label={draft ? t('case.session.edit') : t('case.session.new')}
      busy={busy}
      error={error}
      submitLabel={draft ? t('case.session.editSubmit') : t('case.session.submit')}
      onSubmit={submit}
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <DateTimeField label={t('case.session.at')} value={at} onChange={setAt} />
        <TextInput
          label={t('case.session.place')}
          value={place}
          onChange={(event) => setPlace(event.currentTarget.value)}
        />
        <TextInput
          label={t('case.session.mediator')}
          required
          value={mediatorName}
          onChange={(event) => setMediatorName(event.currentTarget.value)}
        />
        <TextInput
          label={t('case.session.recorder')}
          required
          value={recorderName}
          onChange={(event) => setRecorderName(event.currentTarget.value)}
        />
      </SimpleGrid>
      <Checkbox.Group
        label={t('case.session.present')}
        value={present}
        onChange={(ids) => setPresent(c.parties.filter((p) => ids.includes(p.id)).map((p) => p.id))}
      >
        <Group mt={4}>
          {c.parties.map((p) => (
            <Checkbox key={p.id} value={p.id} label={`${p.name}（${t(`case.role.${p.role}`)}）`} />
          ))}
        </Group>
      </Checkbox.Group>
      <TextInput
        label={t('case.session.others')}
        value={others}
        onChange={(event) => setOthers(event.currentTarget.value)}
      />
      {c.parties
        .filter((p) => present.includes(p.id))
        .map((p) => (
          <Textarea
            key={p.id}
            label={t('case.session.statement', { name: p.name })}
            autosize
            minRows={2}
            value={statements[p.id] ?? ''}
            onChange={(event) => {
              const value = event.currentTarget.value;
              setStatements((s) => ({ ...s, [p.id]: value }));
            }}
          />
        ))}
      <Textarea
        label={t('case.session.factsChecked')}
        autosize
        minRows={2}
        value={factsChecked}
        onChange={(event) => setFactsChecked(event.currentTarget.value)}
      />
      <Textarea
        label={t('case.session.result')}
        autosize
        minRows={2}
        value={result}
        onChange={(event) => setResult(event.currentTarget.value)}
      />
    </FormShell>
  );
}

/** 达成协议: a new agreement, or (`draft`) the edit of an unsigned written one (`updateAgreement`; its form stays). */
export function AgreementForm({
  c,
  run,
  busy,
  error,
  info,
  done,
  draft,
}: ActionProps & { readonly draft?: Agreement }) {
  const t = useT();
  const lastSession = latestSession(c);
  const [kind, setKind] = useState<AgreementKind>(draft?.kind ?? 'written');
  // A new agreement starts from what the last session concluded (its 调解结果), to be written out as terms.
  const [terms, setTerms] = useState(() => draft?.terms ?? lastSession?.result ?? '');
  const [performanceMethod, setPerformanceMethod] = useState(draft?.performanceMethod ?? '');
  const [performanceDeadline, setPerformanceDeadline] = useState(draft?.performanceDeadline ?? '');
  const [mediatorName, setMediatorName] = useState(draft?.mediatorName ?? lastSession?.mediatorName ?? '');
  const [committeeName, setCommitteeName] = useState(
    draft
      ? (draft.committeeName ?? '')
      : t('case.agreement.committeeDefault', { community: info?.communityName ?? '' }),
  );
  const submit = () => {
    const content = {
      terms,
      performanceMethod,
      performanceDeadline: performanceDeadline || null,
      mediatorName,
      committeeName: committeeName.trim() || null,
    };
    if (draft === undefined) return finish(run(reachCaseAgreement, { caseId: c.id, kind, ...content }), done);
    const changes = changedFields(draft, content);
    if (Object.keys(changes).length === 0) {
      done();
      return Promise.resolve();
    }
    return finish(run(updateCaseAgreement, { caseId: c.id, agreementId: draft.id, changes }), done);
  };
  return (
    <FormShell
      label={draft ? t('case.agreement.edit') : t('case.agreement.new')}
      busy={busy}
      error={error}
      submitLabel={draft ? t('case.agreement.editSubmit') : t('case.agreement.submit')}
      onSubmit={submit}
    >
      {draft ? (
        // The form of an agreement (written or oral) is not changed by an edit.
        <Text size="sm">
          {t('case.agreement.kind')}
          {t('places.colon')}
          {t(`case.agreement.kind.${draft.kind}`)}
        </Text>
      ) : (
        <NativeSelect
          label={t('case.agreement.kind')}
          value={kind}
          onChange={(event) => setKind(event.currentTarget.value as AgreementKind)}
          data={AGREEMENT_KINDS.map((value) => ({ value, label: t(`case.agreement.kind.${value}`) }))}
        />
      )}
      <Textarea
        label={t('case.agreement.terms')}
        required
        autosize
        minRows={3}
        value={terms}
        onChange={(event) => setTerms(event.currentTarget.value)}
      />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          label={t('case.agreement.performanceMethod')}
          value={performanceMethod}
          onChange={(event) => setPerformanceMethod(event.currentTarget.value)}
        />
        <DateField
          label={t('case.agreement.performanceDeadline')}
          value={performanceDeadline}
          onChange={setPerformanceDeadline}
        />
        <TextInput
          label={t('case.agreement.mediator')}
          value={mediatorName}
          onChange={(event) => setMediatorName(event.currentTarget.value)}
        />
        <TextInput
          label={t('case.agreement.committee')}
          value={committeeName}
          onChange={(event) => setCommitteeName(event.currentTarget.value)}
        />
      </SimpleGrid>
    </FormShell>
  );
}
