import type { shellZh } from './shell.zh';

/** English text of the shell. Same keys as the Chinese (the type refuses a missing or extra key). */
export const shellEn: Record<keyof typeof shellZh, string> = {
  'app.title': 'Community Governance Workstation',
  'app.skipToContent': 'Skip to main content',

  'nav.label': 'Main navigation',
  'nav.dashboard': 'Dashboard',
  'nav.registry': 'Residents & buildings',
  'nav.mediation': 'Five-heads mediation',
  'nav.meetings': 'Meeting records',
  'nav.tasks': 'Task supervision',
  'nav.sync': 'Sync',
  'nav.settings': 'Settings',
  'nav.shortcutHint': 'Alt+{n}',
  'nav.toggle': 'Show or hide navigation',

  'header.community': 'Community',
  'header.noCommunity': 'No community selected',
  'header.language': 'Language',
  'header.theme.toLight': 'Switch to light theme',
  'header.theme.toDark': 'Switch to dark theme',

  'sync.badge.local': 'Local only',
  'sync.badge.localHint': 'Not connected to a sync server; data is kept on this device only',

  'error.title': 'This page ran into a problem',
  'error.body':
    'Something went wrong on this page. Other pages still work and nothing you entered is lost. Try again, or pick another page from the navigation.',
  'error.details': 'Error message',
  'error.retry': 'Try again',

  'dashboard.title': 'Dashboard',
  'dashboard.intro':
    'Daily community work starts here: keep the registry, settle disputes, record meetings, follow tasks.',
  'dashboard.areas': 'Work areas',

  'registry.title': 'Residents & buildings',
  'registry.summary': 'Compounds, buildings, households, residents, grids, party organisations and the five heads.',
  'mediation.title': 'Five-heads mediation',
  'mediation.summary': "From a building head's first visit to a lawful, archived mediation agreement.",
  'meetings.title': 'Meeting records',
  'meetings.summary': 'An agenda before, a record during, a result after, and an answer on follow-up.',
  'tasks.title': 'Task supervision',
  'tasks.summary': 'Tasks handed down by the district: workload, completion rate, time and resident rating.',
  'sync.title': 'Sync',
  'sync.summary': "Connect to the district's sync server; work offline as usual and merge when back online.",
  'area.comingSoon': 'This area is being built.',

  'settings.title': 'Settings',
  'settings.language': 'Language',
  'settings.language.zh': '中文',
  'settings.language.en': 'English',
  'settings.theme': 'Theme',
  'settings.theme.light': 'Light',
  'settings.theme.dark': 'Dark',
  'settings.theme.auto': 'Follow system',
  'settings.about': 'About this device',
  'settings.version': 'Version',
  'settings.dataFolder': 'Data location',
  'settings.platform': 'Running as',
  'settings.platform.desktop': 'Desktop app',
  'settings.platform.browser': 'Browser',
  'settings.diagnostics': 'Diagnostics',
  'settings.diagnostics.hint':
    'Check that errors are shown properly: this page shows the error view while other pages keep working.',
  'settings.diagnostics.crash': 'Simulate a page error',
  'settings.diagnostics.crashMessage': 'A page error simulated from Settings → Diagnostics',
  'startup.failed.title': 'Cannot open the data on this device',
  'startup.failed.body':
    'The workstation cannot open the data stored on this device. Check that the disk is not full and that local storage is allowed, then open it again. No data was deleted.',
  'settings.loading': 'Loading…',
  'ui.sign.clear': 'Clear',
};
