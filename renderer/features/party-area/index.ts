/** Loaded on first use: importing this file costs one small wrapper. */
import { lazyNamed } from '../../ui/lazy';

export const PartyAreaScreen = lazyNamed(() => import('./PartyAreaScreen'), 'PartyAreaScreen');
