/** The communities on this device: the header's switcher, and the panel that creates or joins one. */
export { CommunitySwitcher } from './CommunitySwitcher';
export { WelcomePanel } from './WelcomePanel';
