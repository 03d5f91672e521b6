/** The party-building sections of 党建与资源 (docs/party-model.md), mounted by renderer/features/party-area. */
export { MembersSection, PlatformsSection, SanhongSection } from './sections';
