/** The community-resource sections of 党建与资源 (docs/resources-model.md), mounted by renderer/features/party-area. */
export { FundsSection, ProjectsSection, VenuesSection } from './sections';
