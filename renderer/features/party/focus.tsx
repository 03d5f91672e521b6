/**
 * A record another area links back to (docs/party-model.md, "links"): the party pages answer `/<page>/<year>/<id>`
 * by showing that year's activities document with the record marked and focused, so the link from a grid event, a
 * case or a meeting lands on the record it came from (Tab and Enter reach it like any link).
 */
import { Card, type CardProps } from '@mantine/core';
import { useEffect, useRef, type ReactNode } from 'react';
import { thisYear } from './data';

/** The page's year from the address (`/sessions/2025/<id>`); this year when the address names none or a wrong one. */
export function shownYear(param: string | undefined): number {
  return param !== undefined && /^\d{4}$/.test(param) ? Number(param) : thisYear();
}

/** A record's card: the one the address names is marked (`aria-current`), scrolled to and focused once shown. */
export function RecordCard({
  focused,
  testId,
  children,
  ...props
}: CardProps & { focused: boolean; testId: string; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const card = ref.current;
    if (!focused || card === null) return;
    card.focus();
    // jsdom has no layout and leaves scrolling out.
    if ('scrollIntoView' in card) card.scrollIntoView({ block: 'center' });
  }, [focused]);
  return (
    <Card
      withBorder
      ref={ref}
      data-testid={testId}
      data-focused={focused ? 'yes' : undefined}
      aria-current={focused ? 'true' : undefined}
      tabIndex={focused ? -1 : undefined}
      style={focused ? { borderColor: 'var(--mantine-color-red-6)', borderWidth: 2 } : undefined}
      {...props}
    >
      {children}
    </Card>
  );
}
