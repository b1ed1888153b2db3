// Package leasing is the leasing context (issue 12): units (铺位), lease contracts with
// their versions, approvals and workflow, and the charge schedule each contract bills.
// The arithmetic of a schedule lives in the pure package schedule; this package keeps
// what is stored and who may see or change it.
//
// # Units
//
// A unit belongs to one mall and has a code unique in it. Its status is never stored:
// it is derived, on a date, from the contracts that hold it (UnitStatus): LEASED while a
// contract holds it, FIT_OUT on the days a fit-out abatement of that contract covers,
// RESERVED while the next holding contract has not started, OFF_MARKET when the
// mall has taken it off the market, VACANT otherwise.
//
// # A unit is never let twice
//
// leasing_contract_units.held is the range of days a contract holds a unit: NULL while
// the contract is a draft or submitted, its term once approved (signed and active
// alike), up to its last day once terminated. An exclusion constraint (btree_gist) on
// (group, unit, held) refuses a second hold of any day at the database, whatever the
// concurrency; the refusal is UNIT_ALREADY_LEASED.
//
// # Contracts, versions and approvals
//
// A contract's terms are schedule.Terms stored as JSONB per version. Version 1 is the
// original; amendments and renewals are further versions with their effective date.
// Every version goes through the same approval: LEASING (or ADMIN) prepares and
// submits; FINANCE approves up to its limit (annual rent, per mall, default
// ¥2,000,000), ADMIN above it. A FINANCE approval of an amount beyond its limit is
// recorded as an endorsement and leaves the version waiting for ADMIN; nobody approves a
// version of a contract they created or a version they submitted (SELF_APPROVAL).
// The contract's own status follows the workflow DRAFT → SUBMITTED → APPROVED → SIGNED
// (signed PDF uploaded) → ACTIVE (on its start date, by the activation job; reads show
// it already) → EXPIRED | TERMINATED. An approved amendment is part of the contract at
// once: the schedule is computed from every approved version, each governing from its
// effective date. Every transition is audited.
//
// # A period already billed never changes
//
// Billing freezes what it bills: the schedule lines of periods billed are copied into
// leasing_billed_lines and never change. A bill run calls the batched, transaction-taking
// BillableContracts, OpenLinesTx (with each contract's sales, the base of percentage rent)
// and FreezeLinesTx, which returns only the lines frozen now (billing.go); FreezeThrough
// freezes one contract. Schedule returns those lines as they were,
// ADJUSTMENT lines for what a later version changed in them (schedule.Adjust), and the
// lines of periods not billed yet (schedule.Pending).
//
// # Who sees what
//
// Leasing staff (LEASING, FINANCE, ADMIN) see everything of the malls their grants cover.
// A tenant (TENANT_ADMIN or MERCHANT_STAFF of a merchant) sees its own contracts, the
// units they let and their schedules; anything of another merchant is FORBIDDEN.
package leasing
