/** The start screen: one card per area, with the mediation and meetings summaries. */
export { DashboardScreen } from './DashboardScreen';
