/** The party-building sections of 党建与资源 (docs/party-model.md), mounted by renderer/features/party-area. */
export { MembersSection, PlatformsSection, SanhongSection } from './sections';
/** The way back, mounted on a grid event's, a case's and a meeting's page. */
export { SourceLink } from './SourceLink';
