/**
 * The mediation state machine (docs/domain.md, "Five-heads mediation"): pure functions from a case and an
 * input to the next case or a typed refusal. Nothing here touches a document; `commands.ts` runs these over the
 * `<community>/cases/<year>` Y.Doc, and the UI asks `allowedActions` what to offer (docs/conventions.md, habit 6).
 *
 * Every function
 * 1. checks the actor may write and the case's status allows the action (`case.transition` otherwise),
 * 2. validates the input shape (zod) and the domain rules,
 * 3. returns the whole next case with one timeline event appended (who, when, what).
 *
 * ```
 *  intake ─► registered ─► handling ◄─┐ recordVisit, escalate (up the chain; refused past 街道)
 *                 │            │      │
 *                 └────────────┴─► in-session  recordSession / signSession (locks when all have signed)
 *                              │       │
 *          reachAgreement ─────┴───────┤
 *      written: signing ─► (all parties + mediator signed, seal) ─► agreed ◄─ oral: at once
 *                 │                                                 │
 *  recordOutcome: no-agreement / referred                   startPerformance ─► performing
 *                 │                                                 │
 *                 │                                   recordFollowUp ─► followed-up
 *                 └──────────────────────── close ◄─────────────────┘
 *                                              └─► closed ─► archive ─► archived
 * ```
 */
export * from './guards';
export * from './records';
export * from './intake';
export * from './sessions';
export * from './agreements';
export * from './outcome';
export * from './corrections';
export * from './allowed';
export * from './minors';
