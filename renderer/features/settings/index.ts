/** The settings screen, loaded on first use (it is not on the way to the first list). */
import { lazyNamed } from '../../ui/lazy';

export const SettingsScreen = lazyNamed(() => import('./SettingsScreen'), 'SettingsScreen');
