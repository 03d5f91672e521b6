/**
 * The one command kernel (docs/architecture.md, "commands"). Every write to a community document goes through
 * `defineCommand`'s executor, which does the same four steps for every domain:
 *
 * 1. **permission**: the context must hold the command's permission (or `admin`), else `permission-denied`; and the
 *    document must not be marked by a newer app (`layout-too-new`, shared/ydoc/layout.ts);
 * 2. **input**: the zod schema parses the input (`fromZodError` turns the first issue into a field error);
 * 3. **rule**: the domain's `plan` reads the document and decides, without writing: an error, or the value to return
 *    and the write to make;
 * 4. **write and audit**: `commit` runs the write through the domain's writer in ONE `doc.transact` tagged with a
 *    `CommandOrigin`, and appends the audit entries the write named to the domain's journal in that same
 *    transaction, so a write without its audit entry cannot exist, on this device or after a merge.
 *
 * A command is a plain function `(doc, ctx, input, env) => CommandResult<T>` whose `input` type is the schema's input
 * type: a wrong field at a call site is a compile error. `env` carries what a command reads from another document
 * (the registry's five-heads chain at intake, a registry snapshot for a meeting), never a second writer.
 */
import type * as Y from 'yjs';
import type { z } from 'zod';
import { canWriteLayout, documentLayout, markLayout } from '../../ydoc/layout';
import { domainError, err, fromZodError, ok, type DomainError, type Result } from '../result';
import { hasPermission, type CommandContext, type CommandOrigin, type Permission } from './context';

export type CommandResult<T> = Result<T, DomainError>;

/** The fields every audit entry carries, whatever the domain: who, when, on which device. */
export interface AuditStamp {
  readonly id: string;
  readonly at: string;
  readonly userId: string;
  readonly userName: string;
  readonly deviceId: string;
}

/** Where a domain keeps its audit: appends entries (the stamp and the domain's own note) inside the transaction. */
export type Journal<Note> = (doc: Y.Doc, entries: readonly (AuditStamp & Note)[]) => void;

/**
 * Given to a write: names one audit entry of this command. `id` is for a command whose value is the entry's own id (an
 * export or a print returns it); otherwise the kernel gives the entry a new id.
 */
export type Audit<Note> = (note: Note, id?: string) => void;

/** A write: changes the document through the domain's writer and names its audit entries. Runs inside the transaction. */
export type Write<Note> = (audit: Audit<Note>, at: string) => void;

/**
 * Runs one write: one transaction tagged with the command origin, carrying its audit entries. The executor of
 * `defineCommand` calls it; a command without input of its own (settling case numbers after a sync) may call it
 * directly after its own permission check.
 */
export function commit<Note>(
  doc: Y.Doc,
  ctx: CommandContext,
  command: string,
  journal: Journal<Note>,
  write: Write<Note>,
): void {
  const at = ctx.now().toISOString();
  const origin: CommandOrigin = { kind: 'command', command, actor: ctx.actor };
  doc.transact(() => {
    markLayout(doc);
    const entries: (AuditStamp & Note)[] = [];
    write((note, id) => {
      entries.push({
        id: id ?? ctx.newId(),
        at,
        userId: ctx.actor.userId,
        userName: ctx.actor.userName,
        deviceId: ctx.actor.deviceId,
        ...note,
      });
    }, at);
    if (entries.length > 0) journal(doc, entries);
  }, origin);
}

/** What a rule decides: the value the command returns and, unless nothing changes, the write that makes it so. */
export interface Plan<T, Note> {
  readonly value: T;
  readonly write: Write<Note> | null;
}

export function plan<T, Note>(value: T, write: Write<Note> | null): CommandResult<Plan<T, Note>> {
  return ok({ value, write });
}

/** Who may run a command: one permission, any of several, or a test of the whole set (e.g. a tag needing two). */
export type PermissionRule = Permission | readonly Permission[] | ((permissions: ReadonlySet<Permission>) => boolean);

export function permits(rule: PermissionRule, permissions: ReadonlySet<Permission>): boolean {
  if (typeof rule === 'function') return rule(permissions);
  if (typeof rule === 'string') return hasPermission(permissions, rule);
  return rule.some((p) => hasPermission(permissions, p));
}

export interface CommandSpec<S extends z.ZodType, T, Note, Env> {
  /** The command's name in the transaction origin and the audit (`createResident`, `sealAgreement`). */
  readonly name: string;
  readonly permission: PermissionRule;
  readonly input: S;
  readonly journal: Journal<Note>;
  /** The rule: reads the document, decides; never writes (the kernel runs the write it returns). */
  readonly plan: (doc: Y.Doc, input: z.output<S>, ctx: CommandContext, env: Env) => CommandResult<Plan<T, Note>>;
}

/** A command as the app calls it. `undefined` env may be left out. */
export interface Command<I, T, Env = undefined> {
  (
    doc: Y.Doc,
    ctx: CommandContext,
    input: I,
    ...env: Env extends undefined ? [env?: Env] : [env: Env]
  ): CommandResult<T>;
  readonly commandName: string;
  readonly permission: PermissionRule;
}

/** The input type a command accepts (the schema's input: defaults may be left out). */
export type CommandInput<C> = C extends Command<infer I, unknown, never> ? I : never;

/** Builds a command from its spec; see the header for the four steps every command runs. */
export function defineCommand<S extends z.ZodType, T, Note, Env = undefined>(
  spec: CommandSpec<S, T, Note, Env>,
): Command<z.input<S>, T, Env> {
  const run = (doc: Y.Doc, ctx: CommandContext, input: z.input<S>, env?: Env): CommandResult<T> => {
    if (!permits(spec.permission, ctx.permissions)) return err(domainError('permission-denied'));
    // A document marked by a newer app is read, shown and synced, never written (docs/architecture.md, "Layout
    // versions"): this app could overwrite what it does not understand.
    if (!canWriteLayout(doc)) return err(domainError('layout-too-new', undefined, { layout: documentLayout(doc) }));
    const parsed = spec.input.safeParse(input);
    if (!parsed.success) return err(fromZodError(parsed.error, input));
    const decided = spec.plan(doc, parsed.data, ctx, env as Env);
    if (!decided.ok) return decided;
    const { value, write } = decided.value;
    if (write !== null) commit(doc, ctx, spec.name, spec.journal, write);
    return ok(value);
  };
  return Object.assign(run, { commandName: spec.name, permission: spec.permission });
}

/** A refusal, for rules: `refuse('case.transition', undefined, { status })`. */
export function refuse(
  code: DomainError['code'],
  field?: string,
  params?: Readonly<Record<string, string | number>>,
): CommandResult<never> {
  return err(domainError(code, field, params));
}
