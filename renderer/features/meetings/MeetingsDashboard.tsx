/** The meetings card of the dashboard: upcoming meetings and open action items, the person's own first. */
export function MeetingsDashboard() {
  return null;
}
