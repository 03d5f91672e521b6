import { AreaPlaceholder } from '../../ui/AreaPlaceholder';

/** The mediation area (调解): case list, case page, intake, statistics. Routes nest under `/mediation`. */
export function MediationScreen() {
  return <AreaPlaceholder title="mediation.title" summary="mediation.summary" />;
}
