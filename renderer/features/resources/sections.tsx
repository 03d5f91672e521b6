import type { CommunityId } from '@shared/ydoc/docName';
import { FundsPages } from './FundScreens';
import { ProjectsPages } from './ProjectScreens';
import { VenuesPages } from './VenueScreens';

/** 阵地 (docs/resources-model.md, "venues"): rooms, bookings and regular services, conflicts after sync. */
export function VenuesSection({ community }: { community: CommunityId }) {
  return <VenuesPages community={community} />;
}

/** 项目化 (docs/resources-model.md, "projects"): from a need published to the residents' rating. */
export function ProjectsSection({ community }: { community: CommunityId }) {
  return <ProjectsPages community={community} />;
}

/** 三项资金 (docs/resources-model.md, "funds"): the three ledgers, receipts, balances and the yearly report. */
export function FundsSection({ community }: { community: CommunityId }) {
  return <FundsPages community={community} />;
}
