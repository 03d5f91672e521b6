import { Card, Text } from '@mantine/core';

/**
 * One headline figure of a statistics page: its name, then the value large (`testId` names the value), and under it
 * an optional note (the change on the previous period), in `noteColor` when the change is good or bad news.
 */
export function FigureCard({
  label,
  value,
  testId,
  note,
  noteColor,
}: {
  label: string;
  value: string;
  testId: string;
  note?: string;
  noteColor?: string;
}) {
  return (
    <Card withBorder padding="sm">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fz={24} fw={700} data-testid={testId}>
        {value}
      </Text>
      {note !== undefined && (
        <Text size="xs" c={noteColor ?? 'dimmed'} data-testid={`${testId}-note`}>
          {note}
        </Text>
      )}
    </Card>
  );
}
