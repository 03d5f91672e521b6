import { ActionIcon, Group, Popover, Stack, TextInput, type TextInputProps } from '@mantine/core';
import { DatePicker, TimePicker } from '@mantine/dates';
import 'dayjs/locale/zh-cn';
import { useState } from 'react';
import { useI18n } from '../i18n';
import { parseTypedDay } from './DateField';

/**
 * A day and a time of day typed or picked, in the app's language whatever the browser's: the browser's own
 * `datetime-local` field lays itself out by the browser's language (month/day/year and AM/PM in an English Chromium),
 * so a Chinese office typed meeting and session times in an American order. The value is the same local
 * `YYYY-MM-DDTHH:mm` text a `datetime-local` field gives (`''` when empty); the field shows `YYYY-MM-DD HH:mm`.
 *
 * Typing accepts any day `DateField` reads, then a space or `T`, then `14:30`, `14：30`, `1430`, `9:05`, `14点`,
 * `14点30分`, and `202612041430`; a partial or impossible time changes nothing until it is complete, and leaving the
 * field shows what was taken. The calendar button opens Mantine's calendar (weeks from Monday) and a 24-hour time
 * field in the app's language; the field itself opens nothing, so typing and Tab stay as fast as in a plain field.
 */
export function DateTimeField({
  value,
  onChange,
  onBlur,
  ...props
}: Omit<TextInputProps, 'value' | 'onChange' | 'defaultValue' | 'rightSection' | 'type'> & {
  /** Local `YYYY-MM-DDTHH:mm`, or `''`. */
  readonly value: string;
  readonly onChange: (value: string) => void;
}) {
  const { language, t } = useI18n();
  const [text, setText] = useState(shown(value));
  const [opened, setOpened] = useState(false);
  // A value set from outside shows here; a time being typed is left as typed.
  const [valueShown, setValueShown] = useState(value);
  if (valueShown !== value) {
    setValueShown(value);
    if ((parseTypedDateTime(text) ?? '') !== value) setText(shown(value));
  }
  const [day = '', time = ''] = value.split('T');
  const set = (next: string) => {
    setText(shown(next));
    if (next !== value) onChange(next);
  };
  return (
    <TextInput
      {...props}
      value={text}
      placeholder={props.placeholder ?? 'YYYY-MM-DD HH:mm'}
      autoComplete="off"
      onChange={(event) => {
        const typed = event.currentTarget.value;
        setText(typed);
        if (typed.trim() === '') onChange('');
        else {
          const parsed = parseTypedDateTime(typed);
          if (parsed !== null && parsed !== value) onChange(parsed);
        }
      }}
      onBlur={(event) => {
        setText(shown(value));
        onBlur?.(event);
      }}
      rightSection={
        <Popover opened={opened} onChange={setOpened} position="bottom-end" shadow="md" trapFocus returnFocus>
          <Popover.Target>
            <ActionIcon
              variant="subtle"
              color="gray"
              aria-label={t('ui.dateTime.pick')}
              aria-expanded={opened}
              disabled={props.disabled}
              onClick={() => setOpened((open) => !open)}
            >
              <span aria-hidden="true">▦</span>
            </ActionIcon>
          </Popover.Target>
          <Popover.Dropdown>
            <Stack gap="xs">
              <DatePicker
                value={day === '' ? null : day}
                defaultDate={day === '' ? undefined : day}
                onChange={(picked) => {
                  if (picked !== null) set(`${picked}T${time === '' ? DEFAULT_TIME : time}`);
                }}
                locale={language === 'zh-CN' ? 'zh-cn' : 'en'}
                firstDayOfWeek={1}
              />
              <Group justify="space-between" wrap="nowrap">
                <TimePicker
                  label={t('ui.dateTime.time')}
                  format="24h"
                  value={time}
                  disabled={day === ''}
                  onChange={(picked) => {
                    const hhmm = picked.slice(0, 5);
                    if (day !== '' && /^\d{2}:\d{2}$/.test(hhmm)) set(`${day}T${hhmm}`);
                  }}
                />
              </Group>
            </Stack>
          </Popover.Dropdown>
        </Popover>
      }
    />
  );
}

/** The time a day picked with no time yet gets: an office's morning. */
const DEFAULT_TIME = '09:00';

function shown(value: string): string {
  return value.replace('T', ' ');
}

// 14:30 or 14：30 (two digits after the colon), 1430, 14点, 14点30, 14点30分, 14点5分. A bare 14 or 14:3 is being typed.
const TYPED_TIME = /^(\d{1,2})(?:\s*[:：]\s*(\d{2})|\s*[点时]\s*(?:(\d{2})\s*分?|(\d)\s*分)?|(\d{2}))$/;

/** A typed time of day as `HH:mm`, or null while it is partial or impossible (24:00, 9:75). */
export function parseTypedTime(text: string): string | null {
  const match = TYPED_TIME.exec(text.trim());
  if (match === null) return null;
  const [, hour = '', colon, afterMark, oneDigit, digits] = match;
  const h = Number(hour);
  const m = Number(colon ?? afterMark ?? oneDigit ?? digits ?? '0');
  if (h > 23 || m > 59) return null;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** A typed day and time as local `YYYY-MM-DDTHH:mm`, or null while either is partial or impossible. */
export function parseTypedDateTime(text: string): string | null {
  const trimmed = text.trim();
  const compact = /^(\d{8})(\d{4})$/.exec(trimmed);
  if (compact !== null) {
    const day = parseTypedDay(compact[1] ?? '');
    const time = parseTypedTime(compact[2] ?? '');
    return day === null || time === null ? null : `${day}T${time}`;
  }
  // The day ends at the first space or `T`, or after 日 (2026年12月4日14:30).
  const split = /^(.+?日|[^\sT]+)\s*(?:T|\s)?\s*(.+)$/.exec(trimmed);
  if (split === null) return null;
  const day = parseTypedDay(split[1] ?? '');
  const time = parseTypedTime(split[2] ?? '');
  return day === null || time === null ? null : `${day}T${time}`;
}
