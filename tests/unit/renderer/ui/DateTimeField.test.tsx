import { fireEvent, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { DateTimeField, parseTypedDateTime, parseTypedTime } from '../../../../renderer/ui/DateTimeField';
import { renderUi } from '../render';

function Field({ initial, seen }: { initial: string; seen: string[] }) {
  const [value, setValue] = useState(initial);
  return (
    <DateTimeField
      label="会议时间"
      value={value}
      onChange={(next) => {
        seen.push(next);
        setValue(next);
      }}
    />
  );
}

describe('a day and time typed by an office worker', () => {
  it('reads the ways a time is written in China and refuses partial or impossible ones', () => {
    expect(parseTypedTime('14:30')).toBe('14:30');
    expect(parseTypedTime('14：30')).toBe('14:30');
    expect(parseTypedTime('1430')).toBe('14:30');
    expect(parseTypedTime('9:05')).toBe('09:05');
    expect(parseTypedTime('930')).toBe('09:30');
    expect(parseTypedTime('14点')).toBe('14:00');
    expect(parseTypedTime('14点30分')).toBe('14:30');
    expect(parseTypedTime('8点5分')).toBe('08:05');
    for (const partial of ['', '1', '14', '14:', '14:3', '14点3', '24:00', '9:75', '2:30 PM']) {
      expect(parseTypedTime(partial)).toBeNull();
    }
  });

  it('reads a day then a time, with a space, a T, after 日, or as twelve digits', () => {
    expect(parseTypedDateTime('2026-12-04 14:30')).toBe('2026-12-04T14:30');
    expect(parseTypedDateTime('2026-12-04T14:30')).toBe('2026-12-04T14:30');
    expect(parseTypedDateTime('2026/12/4 9:05')).toBe('2026-12-04T09:05');
    expect(parseTypedDateTime('2026年12月4日14点30分')).toBe('2026-12-04T14:30');
    expect(parseTypedDateTime('2026年12月4日 14:30')).toBe('2026-12-04T14:30');
    expect(parseTypedDateTime('202612041430')).toBe('2026-12-04T14:30');
    // The American order an English browser's own field wanted is not a day here.
    for (const partial of ['2026-12-04', '2026-12-04 14', '12/04/2026 2:30', '2026-02-30 09:00', '']) {
      expect(parseTypedDateTime(partial)).toBeNull();
    }
  });
});

describe('DateTimeField', () => {
  it('keeps a local YYYY-MM-DDTHH:mm value, changes it only once a typed time is complete, and shows it with a space', () => {
    const seen: string[] = [];
    renderUi(<Field initial="2026-12-01T09:30" seen={seen} />);
    const input = screen.getByLabelText<HTMLInputElement>('会议时间');
    expect(input.value).toBe('2026-12-01 09:30');
    fireEvent.change(input, { target: { value: '2026-12-04 14' } });
    expect(seen).toEqual([]);
    fireEvent.change(input, { target: { value: '2026-12-04 1430' } });
    expect(seen).toEqual(['2026-12-04T14:30']);
    fireEvent.blur(input);
    expect(input.value).toBe('2026-12-04 14:30');
    fireEvent.change(input, { target: { value: '' } });
    expect(seen.at(-1)).toBe('');
  });

  it('picks a day from a calendar in the app language, keeping the time, and offers the time in 24 hours', async () => {
    const seen: string[] = [];
    renderUi(<Field initial="2026-12-01T15:45" seen={seen} />);
    fireEvent.click(screen.getByRole('button', { name: '从日历中选择日期和时间' }));
    await waitFor(() => expect(document.body.textContent).toContain('十二月'));
    // (jsdom runs no transition: the day is clicked by its label.)
    fireEvent.click(document.querySelector('button[aria-label="9 十二月 2026"]')!);
    expect(seen).toEqual(['2026-12-09T15:45']);
    expect(screen.getByLabelText<HTMLInputElement>('会议时间').value).toBe('2026-12-09 15:45');
    // 24 hours: no AM/PM control anywhere in the dropdown.
    expect(document.body.textContent).not.toMatch(/AM|PM/);
  });
});
