import { Checkbox, Group, NativeSelect, NumberInput, Stack, Text } from '@mantine/core';
import { CONFIGURABLE, MEETING_RULES } from '@shared/domain/meetings/rules';
import type { MeetingType, RuleOverrides, Threshold } from '@shared/domain/meetings/types';
import { useT } from '../../i18n';
import { thresholdText } from './labels';

/** The thresholds local rules use (民法典 art. 1259 wording): 过半数, 半数以上, 三分之二以上, 四分之三以上. */
const PRESETS: readonly Threshold[] = [
  { num: 1, den: 2, comparison: 'more-than' },
  { num: 1, den: 2, comparison: 'at-least' },
  { num: 2, den: 3, comparison: 'at-least' },
  { num: 3, den: 4, comparison: 'at-least' },
];

const keyOf = (t: Threshold) => `${t.num}/${t.den}/${t.comparison}`;

/**
 * The office's settings a meeting type allows (rules.ts `CONFIGURABLE`): numbers that come from practice or local
 * rules. Fixed by law (owners' assembly, party) means only a longer notice. Stored on the meeting when it is created.
 */
export function RuleOverridesForm({
  type,
  value,
  onChange,
}: {
  type: MeetingType;
  value: RuleOverrides;
  onChange: (next: RuleOverrides) => void;
}) {
  const t = useT();
  const allowed = CONFIGURABLE[type];
  const base = MEETING_RULES[type];
  const set = (patch: RuleOverrides) => onChange({ ...value, ...patch });
  const thresholdSelect = (label: string, current: Threshold, apply: (next: Threshold) => void) => (
    <NativeSelect
      label={label}
      value={keyOf(current)}
      onChange={(event) => {
        const next = PRESETS.find((p) => keyOf(p) === event.currentTarget.value);
        if (next) apply(next);
      }}
      data={PRESETS.map((p) => ({ value: keyOf(p), label: thresholdText(t, p) }))}
    />
  );
  return (
    <Stack gap="xs" aria-label={t('mtg.rules.title')}>
      <Text size="sm" fw={600}>
        {t('mtg.rules.title')}
      </Text>
      <Group align="end" wrap="wrap">
        {allowed.includes('quorum') &&
          thresholdSelect(t('mtg.rules.quorum'), value.quorum ?? base.quorum, (quorum) => set({ quorum }))}
        {allowed.includes('pass') &&
          thresholdSelect(t('mtg.rules.pass'), value.pass ?? base.pass.ordinary.threshold, (pass) => set({ pass }))}
        {allowed.includes('passBase') && (
          <NativeSelect
            label={t('mtg.rules.passBase')}
            value={value.passBase ?? base.pass.ordinary.base}
            onChange={(event) => set({ passBase: event.currentTarget.value as 'present' | 'expected' })}
            data={[
              { value: 'present', label: t('mtg.rule.base.present') },
              { value: 'expected', label: t('mtg.rule.base.expected') },
            ]}
          />
        )}
        {allowed.includes('noticeDays') && (
          <NumberInput
            label={t('mtg.rules.noticeDays')}
            min={base.legal ? base.noticeDays : 0}
            max={60}
            value={value.noticeDays ?? base.noticeDays}
            onChange={(next) => set({ noticeDays: Number(next) || 0 })}
            w={160}
          />
        )}
        {allowed.includes('binding') && (
          <Checkbox
            label={t('mtg.rules.binding')}
            checked={value.binding ?? base.binding}
            onChange={(event) => set({ binding: event.currentTarget.checked })}
          />
        )}
      </Group>
    </Stack>
  );
}
