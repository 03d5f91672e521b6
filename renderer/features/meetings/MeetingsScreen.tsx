import { AreaPlaceholder } from '../../ui/AreaPlaceholder';

/** The meetings area (会议记录): list, calendar, meeting page, minutes. Routes nest under `/meetings`. */
export function MeetingsScreen() {
  return <AreaPlaceholder title="meetings.title" summary="meetings.summary" />;
}
