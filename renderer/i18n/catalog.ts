/**
 * The message catalogues. Chinese is the source of every key; English must have the same keys (the types refuse a
 * missing one, tests/unit/renderer/i18n/i18n.test.ts checks emptiness and placeholders). Placeholders are `{name}`.
 * Words follow the glossary of docs/domain.md ("Words").
 *
 * Each feature keeps its own pair of files (`<part>.zh.ts`, `<part>.en.ts`, keys prefixed with the part) so that
 * features grow their text without touching each other's; this file merges them.
 */
import { accountEn } from './account.en';
import { accountZh } from './account.zh';
import { calendarEn } from './calendar.en';
import { calendarZh } from './calendar.zh';
import { errorsEn } from './errors.en';
import { errorsZh } from './errors.zh';
import { excelEn } from './excel.en';
import { excelZh } from './excel.zh';
import { incidentsEn } from './incidents.en';
import { incidentsZh } from './incidents.zh';
import { mediationEn } from './mediation.en';
import { mediationZh } from './mediation.zh';
import { meetingsEn } from './meetings.en';
import { meetingsZh } from './meetings.zh';
import { placesEn } from './places.en';
import { placesZh } from './places.zh';
import { registryEn } from './registry.en';
import { registryZh } from './registry.zh';
import { shellEn } from './shell.en';
import { syncEn } from './sync.en';
import { syncZh } from './sync.zh';
import { taskFiguresEn } from './taskFigures.en';
import { tasksEn } from './tasks.en';
import { tasksZh } from './tasks.zh';
import { taskFiguresZh } from './taskFigures.zh';
import { shellZh } from './shell.zh';
import { servicesEn } from './services.en';
import { servicesZh } from './services.zh';
import { overviewEn } from './overview.en';
import { overviewZh } from './overview.zh';
import { partyEn } from './party.en';
import { partyZh } from './party.zh';
import { resourcesEn } from './resources.en';
import { resourcesZh } from './resources.zh';

export const zhCN = {
  ...shellZh,
  ...errorsZh,
  ...registryZh,
  ...placesZh,
  ...excelZh,
  ...syncZh,
  ...mediationZh,
  ...meetingsZh,
  ...accountZh,
  ...taskFiguresZh,
  ...tasksZh,
  ...calendarZh,
  ...incidentsZh,
  ...servicesZh,
  ...overviewZh,
  ...partyZh,
  ...resourcesZh,
} as const;

export type MessageKey = keyof typeof zhCN;
export type Messages = Record<MessageKey, string>;

export const en: Messages = {
  ...shellEn,
  ...errorsEn,
  ...registryEn,
  ...placesEn,
  ...excelEn,
  ...syncEn,
  ...mediationEn,
  ...meetingsEn,
  ...accountEn,
  ...taskFiguresEn,
  ...tasksEn,
  ...calendarEn,
  ...incidentsEn,
  ...servicesEn,
  ...overviewEn,
  ...partyEn,
  ...resourcesEn,
};

/** Every catalogue part, for the test that no two parts define the same key. */
export const catalogParts: Record<string, readonly string[]> = {
  shell: Object.keys(shellZh),
  errors: Object.keys(errorsZh),
  registry: Object.keys(registryZh),
  places: Object.keys(placesZh),
  excel: Object.keys(excelZh),
  sync: Object.keys(syncZh),
  mediation: Object.keys(mediationZh),
  meetings: Object.keys(meetingsZh),
  account: Object.keys(accountZh),
  taskFigures: Object.keys(taskFiguresZh),
  tasks: Object.keys(tasksZh),
  calendar: Object.keys(calendarZh),
  incidents: Object.keys(incidentsZh),
  services: Object.keys(servicesZh),
  overview: Object.keys(overviewZh),
  party: Object.keys(partyZh),
  resources: Object.keys(resourcesZh),
};
