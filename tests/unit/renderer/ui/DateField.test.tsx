import { fireEvent, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { DateField, parseTypedDay } from '../../../../renderer/ui/DateField';
import { renderUi } from '../render';

function Field({ initial, seen }: { initial: string; seen: string[] }) {
  const [value, setValue] = useState(initial);
  return (
    <DateField
      label="回访日期"
      value={value}
      onChange={(day) => {
        seen.push(day);
        setValue(day);
      }}
    />
  );
}

describe('a day typed by an office worker', () => {
  it('reads the ways a day is written in China and refuses partial or impossible days', () => {
    expect(parseTypedDay('2026-12-04')).toBe('2026-12-04');
    expect(parseTypedDay('2026/12/4')).toBe('2026-12-04');
    expect(parseTypedDay('2026.1.9')).toBe('2026-01-09');
    expect(parseTypedDay('2026年12月4日')).toBe('2026-12-04');
    expect(parseTypedDay(' 20261204 ')).toBe('2026-12-04');
    for (const partial of ['2026', '2026-1', '2026-12-', '2026-02-30', '2026-13-01', '12/04/2026', '']) {
      expect(parseTypedDay(partial)).toBeNull();
    }
  });
});

describe('DateField', () => {
  it('keeps the YYYY-MM-DD value, changes it only once a typed day is complete, and writes its calendar in Chinese', async () => {
    const seen: string[] = [];
    renderUi(<Field initial="2026-12-01" seen={seen} />);
    const input = screen.getByLabelText<HTMLInputElement>('回访日期');
    expect(input.value).toBe('2026-12-01');
    fireEvent.click(screen.getByRole('button', { name: '从日历中选择日期' }));
    // The calendar of the app's language, not the browser's: 十二月 2026, weeks from Monday (一 … 日).
    await waitFor(() => expect(document.body.textContent).toContain('十二月'));
    expect([...document.querySelectorAll('th')].map((th) => th.textContent)).toEqual([
      '一',
      '二',
      '三',
      '四',
      '五',
      '六',
      '日',
    ]);
    // The same button closes it again.
    fireEvent.click(screen.getByRole('button', { name: '从日历中选择日期' }));
    await waitFor(() =>
      expect(screen.getByRole('button', { name: '从日历中选择日期' }).getAttribute('aria-expanded')).toBe('false'),
    );
    fireEvent.change(input, { target: { value: '2026年12月' } });
    expect(seen).toEqual([]);
    fireEvent.change(input, { target: { value: '2026年12月9日' } });
    expect(seen).toEqual(['2026-12-09']);
    // Typed as the worker likes; shown as the app writes days once the field is left.
    expect(input.value).toBe('2026年12月9日');
    fireEvent.blur(input);
    expect(input.value).toBe('2026-12-09');
    // A day picked from the calendar.
    fireEvent.click(screen.getByRole('button', { name: '从日历中选择日期' }));
    await waitFor(() =>
      expect(screen.getByRole('button', { name: '从日历中选择日期' }).getAttribute('aria-expanded')).toBe('true'),
    );
    // (jsdom runs no transition: the day is clicked by its label, the reopened dropdown counting as hidden to roles.)
    fireEvent.click(document.querySelector('button[aria-label="15 十二月 2026"]')!);
    expect(seen.at(-1)).toBe('2026-12-15');
    expect(input.value).toBe('2026-12-15');
  });

  it('writes its calendar in English when the app is in English', async () => {
    renderUi(<Field initial="2026-12-01" seen={[]} />, { language: 'en' });
    fireEvent.click(screen.getByRole('button', { name: 'Pick the day from a calendar' }));
    await waitFor(() => expect(document.body.textContent).toContain('December 2026'));
  });
});
