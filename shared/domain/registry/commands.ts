/**
 * The registry's commands: the only way anything writes to a `<community>/registry` document. Every one is a kernel
 * command (docs/architecture.md, "commands"): permission, input schema, the registry's rules against the current
 * document, then ONE transaction tagged with the command origin carrying its audit entries in the `audit` array.
 *
 * By idea: places.ts (compounds, buildings, entrances, households), residents.ts (residents and their rules),
 * organisation.ts (five heads, volunteers, grids, party organisation, the community's name), importCommand.ts (the
 * residents import), journal.ts (the registry's journal and a record's history). placeCommands.ts, exportAudit.ts and
 * printAudit.ts are imported on their own.
 */
// The context, origin and result of every command are the kernel's; re-exported here while other domains' imports
// move to the kernel.
export { isCommandOrigin, type Actor, type CommandContext, type CommandOrigin, type CommandResult } from '../kernel';

export { createBuilding, createCompound, createEntrance, createHousehold, updateCompound } from './places';
export { createBuildingBatch } from './batch';
export { createResident, deleteResident, revealSensitive, updateResident } from './residents';
export {
  assignBuildingGrid,
  createGrid,
  createPartyOrg,
  createVolunteer,
  createZone,
  moveBuilding,
  moveZone,
  recordPartyCheckIn,
  renameZone,
  setBuildingHead,
  setCommunityMeta,
  setGridWorkers,
  setPartyOrgMembers,
  setZoneHead,
} from './organisation';
export { importResidents, type ImportSummary } from './importCommand';
export { recordHistory } from './journal';
