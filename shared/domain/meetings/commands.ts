/**
 * Meeting commands: the only writers of a `<community>/meetings/<year>` document, built on the command kernel
 * (shared/domain/kernel, docs/architecture.md "Commands"): permission `meetings.edit`, the zod input, then the state
 * machine (machine.ts) and the rules (rules.ts) against the current record, all before touching the document; then
 * ONE transaction tagged with the command origin that carries its entry in the meetings' `audit`.
 *
 * Commands that need the registry (expected attendees, owners' floor areas) take a `RegistrySnapshot` of the
 * community's `<community>/registry` document as the kernel's `env`: meetings and registry are separate documents.
 *
 * By stage: commandsBefore.ts (create, details, agenda, notice, start), commandsDuring.ts (sign-in, votes, minutes,
 * finish), commandsAfter.ts (review, signatures, sign-off, amendments, publication, archive), commandsFollowUp.ts
 * (action items, linked cases); reads.ts answers questions over a document.
 */
export type { CommandContext, CommandResult } from '../kernel';
export * from './commandsBefore';
export * from './commandsDuring';
export * from './commandsAfter';
export * from './commandsFollowUp';
export * from './reads';
