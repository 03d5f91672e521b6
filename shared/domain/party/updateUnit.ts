/**
 * 驻区单位 details changed after registration (docs/party-model.md, "Commands"): the name, 统一社会信用代码, kind,
 * party organisation, contact, phone and address, each set only when given. Used by the units' Excel import, so a
 * unit imported again with the same cells writes nothing (`updatePlan` writes only fields that differ, and no audit
 * entry for none). The first check-in day and the 共建协议 are not changed here: the first is fixed at registration
 * (`registerUnit`), an agreement is signed (`signAgreement`).
 */
import { z } from 'zod';
import { defineCommand, refuse } from '../kernel';
import { registryJournal, updatePlan } from '../registry/journal';
import { readRecord } from '../../ydoc/registry';
import { creditCodeSchema, UNIT_KINDS } from './types';

export const updateUnitSchema = z.object({
  unitId: z.string().trim().min(1).max(80),
  name: z.string().trim().min(1).max(100).optional(),
  creditCode: creditCodeSchema.optional(),
  kind: z.enum(UNIT_KINDS).optional(),
  partyOrg: z.string().trim().max(100).optional(),
  contact: z.string().trim().max(40).optional(),
  phone: z.string().trim().max(40).optional(),
  address: z.string().trim().max(200).optional(),
});

/** Sets the given details of a registered unit; returns the names of the fields that changed (none: no write). */
export const updateUnit = defineCommand({
  name: 'updateUnit',
  permission: 'party.edit',
  input: updateUnitSchema,
  journal: registryJournal,
  plan: (doc, v) => {
    const unit = readRecord(doc, 'units', v.unitId);
    if (unit === null) return refuse('not-found', 'unitId');
    // The schema's output holds only the fields given.
    const { unitId: _id, ...changes } = v;
    return updatePlan(doc, 'units', v.unitId, unit, changes);
  },
});
