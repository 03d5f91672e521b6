/**
 * The registry of residents and places as the rest of the renderer sees it: its screen, and the logged print that the
 * print views of mediation and meetings use (docs/domain.md, "Personal data (PIPL)").
 */
export { RegistryScreen } from './RegistryScreen';
export { PrintRefusedError, residentIdsOf, usePrintAudit } from './printAudit';
