import { ActionIcon, Popover, TextInput, type TextInputProps } from '@mantine/core';
import { DatePicker } from '@mantine/dates';
import 'dayjs/locale/zh-cn';
import { useState } from 'react';
import { useI18n } from '../i18n';

/**
 * A day typed or picked (`YYYY-MM-DD`), in the app's language whatever the browser's or the operating system's: the
 * browser's own date field lays itself out by the browser's language (month/day/year in an English Chromium), so a
 * Chinese office typed days in an American order. The value is the same `YYYY-MM-DD` text as before (`''` when empty).
 *
 * Typing accepts `2026-12-04`, `2026/12/4`, `2026.12.4`, `2026年12月4日` and `20261204`; a partial or impossible day
 * changes nothing until it is complete, and leaving the field shows the day as `YYYY-MM-DD`. The calendar button
 * beside it opens Mantine's calendar in the app's language, weeks from Monday (Escape closes it); the field itself
 * opens nothing, so typing and Tab stay as fast as in a plain field.
 */
export function DateField({
  value,
  onChange,
  minDate,
  maxDate,
  onBlur,
  ...props
}: Omit<TextInputProps, 'value' | 'onChange' | 'defaultValue' | 'rightSection' | 'type'> & {
  readonly value: string;
  readonly onChange: (value: string) => void;
  /** The earliest and latest days accepted (`YYYY-MM-DD`). */
  readonly minDate?: string;
  readonly maxDate?: string;
}) {
  const { language, t } = useI18n();
  const [text, setText] = useState(value);
  const [opened, setOpened] = useState(false);
  // A value set from outside (another field, a period chosen) shows here; a day being typed is left as typed.
  const [valueShown, setValueShown] = useState(value);
  if (valueShown !== value) {
    setValueShown(value);
    if ((parseTypedDay(text) ?? '') !== value) setText(value);
  }
  const accepted = (day: string) =>
    (minDate === undefined || day >= minDate) && (maxDate === undefined || day <= maxDate);
  return (
    <TextInput
      {...props}
      value={text}
      placeholder={props.placeholder ?? 'YYYY-MM-DD'}
      inputMode="numeric"
      autoComplete="off"
      onChange={(event) => {
        const typed = event.currentTarget.value;
        setText(typed);
        if (typed.trim() === '') onChange('');
        else {
          const day = parseTypedDay(typed);
          if (day !== null && accepted(day) && day !== value) onChange(day);
        }
      }}
      onBlur={(event) => {
        setText(value);
        onBlur?.(event);
      }}
      rightSection={
        <Popover opened={opened} onChange={setOpened} position="bottom-end" shadow="md" trapFocus returnFocus>
          <Popover.Target>
            <ActionIcon
              variant="subtle"
              color="gray"
              aria-label={t('ui.date.pick')}
              aria-expanded={opened}
              disabled={props.disabled}
              onClick={() => setOpened((open) => !open)}
            >
              <span aria-hidden="true">▦</span>
            </ActionIcon>
          </Popover.Target>
          <Popover.Dropdown>
            <DatePicker
              value={value === '' ? null : value}
              defaultDate={value === '' ? (maxDate ?? undefined) : value}
              onChange={(day) => {
                onChange(day ?? '');
                setText(day ?? '');
                setOpened(false);
              }}
              locale={language === 'zh-CN' ? 'zh-cn' : 'en'}
              firstDayOfWeek={1}
              minDate={minDate}
              maxDate={maxDate}
            />
          </Popover.Dropdown>
        </Popover>
      }
    />
  );
}

const TYPED_DAY = /^(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?|(\d{2})(\d{2}))$/;

/** A typed day as `YYYY-MM-DD`, or null while it is partial or not a day of the calendar (2026-02-30). */
export function parseTypedDay(text: string): string | null {
  const match = TYPED_DAY.exec(text.trim());
  if (match === null) return null;
  const [, year, month = match[4], day = match[5]] = match;
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
