/**
 * Input schemas of the mediation commands: shape only (zod). The command kernel parses a command's input with its
 * schema before the machine's rule runs; the machine checks the rules and returns specific codes (docs/domain.md,
 * "Five-heads mediation"; docs/architecture.md, "Commands").
 */
import { z } from 'zod';
import { headRefSchema } from '../registry/types';
import {
  GUARDIAN_RELATIONS,
  PARTY_ROLES,
  PARTY_SEXES,
  CASE_SOURCES,
  CASE_CATEGORIES,
  RISK_LEVELS,
  MEDIATION_LEVELS,
  VISIT_KINDS,
  AGREEMENT_KINDS,
  ROUTES,
  REFERRAL_TARGETS,
  PERFORMANCE_STATES,
  type CaseId,
  type PartyId,
  type SessionId,
  type AgreementId,
  type Signer,
} from './types';

const MAX_NAME = 100;
const MAX_SHORT = 500;
const MAX_LONG = 20_000;
/** Data URLs of on-screen signatures are a few tens of kB; a reference is short. */
const MAX_IMAGE = 500_000;

function idSchema<T extends string>() {
  return z.custom<T>((value) => typeof value === 'string' && value.length > 0 && value.length <= 64);
}

export const caseIdSchema = idSchema<CaseId>();
export const partyIdSchema = idSchema<PartyId>();
export const sessionIdSchema = idSchema<SessionId>();
export const agreementIdSchema = idSchema<AgreementId>();

const name = z.string().trim().min(1).max(MAX_NAME);
const shortText = z.string().trim().max(MAX_SHORT);
const longText = z.string().max(MAX_LONG);
const isoDateString = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const instant = z.iso.datetime();

/** 监护人 of a minor party (docs/domain.md, "Minors"). */
export const guardianSchema = z.object({
  name,
  relation: z.enum(GUARDIAN_RELATIONS),
  idNumber: z.string().trim().max(18).nullable().default(null),
  phone: z.string().trim().max(40).nullable().default(null),
  residentId: z.string().min(1).max(64).nullable().default(null),
});
export type GuardianInput = z.input<typeof guardianSchema>;

export const partyInputSchema = z.object({
  role: z.enum(PARTY_ROLES),
  name,
  sex: z.enum(PARTY_SEXES).nullable().default(null),
  age: z.number().int().min(0).max(150).nullable().default(null),
  phone: z.string().trim().max(40).nullable().default(null),
  address: shortText.default(''),
  residentId: z.string().min(1).max(64).nullable().default(null),
  birthDate: isoDateString.nullable().default(null),
  guardian: guardianSchema.nullable().default(null),
});
export type PartyInput = z.input<typeof partyInputSchema>;

export const attachmentInputSchema = z.object({ name, ref: z.string().min(1).max(MAX_SHORT) });

export const addAttachmentSchema = z.object({ caseId: caseIdSchema, ...attachmentInputSchema.shape });
export type AddAttachmentInput = z.input<typeof addAttachmentSchema>;

/**
 * Where the matter is. docs/domain.md ("Five-heads mediation"): the place is required, the registration form (调解登记表)
 * prints it: a building of the registry, or an address typed in. Missing both is `required` on `address` (the field the
 * form shows), reported as a too-small string so the kernel reads it as `required`, not `invalid`.
 */
export const casePlaceSchema = z
  .object({
    buildingId: z.string().min(1).max(64).nullable().default(null),
    householdId: z.string().min(1).max(64).nullable().default(null),
    address: shortText.default(''),
  })
  .superRefine((place, ctx) => {
    if (place.buildingId === null && place.address === '') {
      ctx.addIssue({ code: 'too_small', origin: 'string', minimum: 1, inclusive: true, path: ['address'], input: '' });
    }
  });

export const intakeSchema = z.object({
  place: casePlaceSchema,
  source: z.enum(CASE_SOURCES),
  category: z.enum(CASE_CATEGORIES),
  risk: z.enum(RISK_LEVELS),
  // Who is missing (an applicant, a respondent) is the machine's `case.parties-required`, which says so in words.
  parties: z.array(partyInputSchema).max(50),
  // The short facts (简要事实) are required: the registration form prints them (docs/domain.md).
  facts: z.string().trim().min(1).max(MAX_LONG),
  attachments: z.array(attachmentInputSchema).max(100).default([]),
});
export type IntakeInput = z.input<typeof intakeSchema>;

/** Given by the command from the registry (or by a test): the chain and the number chosen on this device. */
export const chainLinkSchema = z.object({
  level: z.enum(MEDIATION_LEVELS),
  nodeId: z.string().min(1).max(64),
  nodeName: z.string().max(MAX_NAME),
  head: headRefSchema.nullable(),
});

export const recordVisitSchema = z.object({
  caseId: caseIdSchema,
  kind: z.enum(VISIT_KINDS),
  at: instant.optional(),
  by: name,
  note: longText.default(''),
});
export type RecordVisitInput = z.input<typeof recordVisitSchema>;

export const escalateSchema = z.object({ caseId: caseIdSchema, reason: z.string().trim().min(1).max(MAX_SHORT) });
export type EscalateInput = z.input<typeof escalateSchema>;

const sessionContent = {
  at: instant,
  place: shortText,
  presentPartyIds: z.array(partyIdSchema).max(50),
  others: z.array(name).max(50),
  mediatorName: name,
  recorderName: name,
  statements: z.record(z.string().min(1).max(64), longText),
  factsChecked: longText,
  result: longText,
};

export const recordSessionSchema = z.object({
  caseId: caseIdSchema,
  ...sessionContent,
  others: sessionContent.others.default([]),
  statements: sessionContent.statements.default({}),
  factsChecked: longText.default(''),
  result: longText.default(''),
});
export type RecordSessionInput = z.input<typeof recordSessionSchema>;

export const updateSessionSchema = z.object({
  caseId: caseIdSchema,
  sessionId: sessionIdSchema,
  changes: z.object(sessionContent).partial(),
});
export type UpdateSessionInput = z.input<typeof updateSessionSchema>;

export const signerSchema: z.ZodType<Signer> = z.discriminatedUnion('role', [
  z.object({ role: z.literal('party'), partyId: partyIdSchema }),
  z.object({ role: z.literal('guardian'), partyId: partyIdSchema }),
  z.object({ role: z.literal('mediator') }),
  z.object({ role: z.literal('recorder') }),
]);

const signatureInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('on-screen'), image: z.string().min(1).max(MAX_IMAGE) }),
  z.object({ kind: z.literal('on-paper'), photo: z.string().min(1).max(MAX_SHORT) }),
]);

export const signSessionSchema = z.object({
  caseId: caseIdSchema,
  sessionId: sessionIdSchema,
  signer: signerSchema,
  signature: signatureInput,
});
export type SignSessionInput = z.input<typeof signSessionSchema>;

const agreementContent = {
  kind: z.enum(AGREEMENT_KINDS),
  terms: z.string().trim().min(1).max(MAX_LONG),
  performanceMethod: shortText,
  performanceDeadline: isoDateString.nullable(),
  mediatorName: z.string().trim().max(MAX_NAME),
  committeeName: z.string().trim().max(MAX_NAME).nullable(),
};

export const reachAgreementSchema = z.object({
  caseId: caseIdSchema,
  ...agreementContent,
  performanceMethod: shortText.default(''),
  performanceDeadline: isoDateString.nullable().default(null),
  mediatorName: agreementContent.mediatorName.default(''),
  committeeName: agreementContent.committeeName.default(null),
});
export type ReachAgreementInput = z.input<typeof reachAgreementSchema>;

export const updateAgreementSchema = z.object({
  caseId: caseIdSchema,
  agreementId: agreementIdSchema,
  changes: z.object(agreementContent).omit({ kind: true }).partial(),
});
export type UpdateAgreementInput = z.input<typeof updateAgreementSchema>;

export const signAgreementSchema = z.object({
  caseId: caseIdSchema,
  agreementId: agreementIdSchema,
  signer: signerSchema,
  signature: signatureInput,
});
export type SignAgreementInput = z.input<typeof signAgreementSchema>;

export const sealAgreementSchema = z.object({ caseId: caseIdSchema, agreementId: agreementIdSchema });

export const setGuardianSchema = z.object({
  caseId: caseIdSchema,
  partyId: partyIdSchema,
  guardian: guardianSchema.nullable(),
});
export type SetGuardianInput = z.input<typeof setGuardianSchema>;

export const recordOutcomeSchema = z.object({
  caseId: caseIdSchema,
  outcome: z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('no-agreement'),
      // 人民调解法 art. 26: when mediation fails the parties are told of the arbitration, administrative and court routes.
      routesTold: z.array(z.enum(ROUTES)).min(1).max(ROUTES.length),
      note: longText.default(''),
    }),
    z.object({ kind: z.literal('referred'), to: z.enum(REFERRAL_TARGETS), detail: shortText.default('') }),
  ]),
});
export type RecordOutcomeInput = z.input<typeof recordOutcomeSchema>;

export const markJudicialConfirmationSchema = z.object({ caseId: caseIdSchema, agreementId: agreementIdSchema });

export const startPerformanceSchema = z.object({ caseId: caseIdSchema });

export const recordFollowUpSchema = z.object({
  caseId: caseIdSchema,
  date: isoDateString,
  visitor: name,
  performance: z.enum(PERFORMANCE_STATES),
  satisfaction: z.number().int().min(1).max(5),
  note: longText.default(''),
});
export type RecordFollowUpInput = z.input<typeof recordFollowUpSchema>;

export const closeSchema = z.object({ caseId: caseIdSchema, summary: longText.default('') });
export const archiveSchema = z.object({ caseId: caseIdSchema });

export const extendDeadlineSchema = z.object({
  caseId: caseIdSchema,
  days: z.number().int().min(1).max(90),
  reason: z.string().trim().min(1).max(MAX_SHORT),
  consentPartyIds: z.array(partyIdSchema).max(50),
});
export type ExtendDeadlineInput = z.input<typeof extendDeadlineSchema>;

export const correctSchema = z.discriminatedUnion('record', [
  z.object({
    record: z.literal('session'),
    caseId: caseIdSchema,
    id: sessionIdSchema,
    reason: z.string().trim().min(1).max(MAX_SHORT),
    changes: z.object(sessionContent).partial(),
  }),
  z.object({
    record: z.literal('agreement'),
    caseId: caseIdSchema,
    id: agreementIdSchema,
    reason: z.string().trim().min(1).max(MAX_SHORT),
    changes: z.object(agreementContent).omit({ kind: true }).partial(),
  }),
]);
export type CorrectInput = z.input<typeof correctSchema>;
