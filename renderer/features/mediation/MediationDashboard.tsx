/** The mediation card of the dashboard: open cases by deadline colour, overdue ones first. */
export function MediationDashboard() {
  return null;
}
