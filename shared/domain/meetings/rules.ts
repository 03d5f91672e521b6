/**
 * The rules of each meeting type, as data: who is expected, the quorum, the threshold a resolution needs, how far
 * ahead the notice goes up, and which of these an office may configure. Every rule names its source; where the
 * source is practice rather than law (docs/domain.md), the rule is configurable per meeting.
 *
 * Counting follows 民法典 art. 1259: "以上" includes the number itself (two thirds of 9 is reached by 6), "过半数" /
 * "超过" do not (half of 10 is not a majority: 6 is). All comparisons are made on integers (areas in hundredths of a
 * square metre), so "exactly two thirds" is never lost to floating point.
 *
 * The sign-in sheet is a snapshot: the expected attendees are computed from the registry when the meeting starts and
 * stored on the meeting (commands.ts `startMeeting`). Quorum and thresholds read that sheet, so a signed meeting's
 * result does not change when a household later moves or an owner's committee is re-elected. Before the start,
 * `quorum` previews against the registry as it is now.
 *
 * By idea: ruleTable.ts (the table and the threshold arithmetic), sheet.ts (expected attendees), counting.ts (quorum,
 * votes, resolutions); this module re-exports them.
 */
export * from './ruleTable';
export * from './sheet';
export * from './counting';
