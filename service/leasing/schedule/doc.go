// Package schedule is the charge schedule of a lease (issue 12, point 5): one pure
// function from a contract's approved versions to the charge lines billing bills. It
// is the one place the leasing arithmetic lives. The leasing context stores a
// version's Terms as JSONB exactly as they marshal here and calls Lines to show a
// contract's schedule; billing (the next issue) bills Lines unchanged and calls Adjust
// when a contract changed after some of its periods were billed. No database, no
// clock: the caller passes the date it computes through.
//
// # Sources
//
// product.md, "Leasing": contracts with rent per m² per month, escalations, rent-free
// periods, property management fee, percentage rent (抽成) on reported sales with
// breakpoints, deposit, billing frequency, amendments and renewals. "Billing": monthly
// bill runs per contract, proration, late fees (滞纳金), tenant sales feeding
// percentage rent. Seed 000 (资产租赁): 租金自动计算 — rent computed by the system,
// not by hand. Issue 12, point 4 names each term (fixed rent or per m² per day or
// month, stepped escalations by % or amount at dates or anniversaries, dated
// abatements, 保底+扣点 = the greater of base rent and rate × sales, natural or
// artificial breakpoints, monthly provisional and year-end true-up, broken years
// prorated by days, 保证金 as a liability, monthly or quarterly in advance or in
// arrears, due day) and the rule "a period already billed never changes". The
// failures it lists are each answered by one rule below: a schedule silently
// rewritten after an edit (PropMS#56, #83, #91) — Adjust; a scheduler billing ended
// leases (PropMS#20) — no day after the term or the termination is charged; rent
// that vanishes when a lease ends (microrealestate#246) — billed lines are never
// recomputed away, only reversed by explicit ADJUSTMENT lines; amendments activated
// by hand before billing (Yardi) — a version governs from its EffectiveFrom by itself.
//
// # Days
//
// All dates are civil dates (Date) on the mall's calendar; periods include both
// ends. A day is charged when the version governing it (below) has it inside its
// term Start..End and it is not after Contract.TerminatedOn (the last day charged).
//
// # Versions
//
// The version governing a day is the highest-numbered version whose EffectiveFrom
// is on or before that day (the lowest-numbered one before any is effective). An
// amendment therefore applies from its effective date with nothing to activate; a
// later amendment effective earlier supersedes an earlier one; a renewal is a
// version with a later End. A billing period governed by two versions gets one line
// per version, each for its own days ("the period is split by days").
//
// # Rent and management fee
//
// Rent in force on a day = Rent.Amount with every escalation dated on or before that
// day applied in date order (a percentage multiplies the rent in force, so steps
// compound; an amount adds in the basis' unit); per-m² bases multiply by the total
// lettable area of the units. Anniversary N is Terms.Start + N years (a Feb 29 start
// has its anniversaries on Mar 1 of common years). The management fee is
// ManagementFee × area per month; escalations do not apply to it.
//
// Proration (the partial-month rule): a monthly amount charged for some days of a
// month is monthly amount × days charged / days in that calendar month (28, 29, 30
// or 31), so a whole month is always exactly the monthly amount, February included,
// and a leap February's days are each 1/29 of it. A per-day rent is rate × days, so a
// leap February costs 29 days. Rates are never rounded.
//
// Abatements (rent-free, fit-out, discounts) are dated and per charge: on each day
// the largest abatement of that charge waives that percentage. A fully abated
// period still shows its line at 0.00 (the tenant sees the free month); a charge that
// is not agreed at all (no management fee) has no lines.
//
// # Billing periods and due dates
//
// Billing periods are calendar months or calendar quarters (Jan–Mar, …); the first
// and last are partial when the lease starts or ends inside them, and the line's
// Period and Days say which days are charged while BillPeriod stays the whole
// calendar period (so a later termination changes a line's amount, not its key).
// In advance: due on DueDay of the period's first month, but never before the
// lease's first day. In arrears: due on DueDay of the month after the period. A
// DueDay beyond a month's length is that month's last day.
//
// # Percentage rent (扣点)
//
// Sales are monthly (Sales), for the days the lease covers in that month; where
// versions or contract years split a month, its sales are spread over its covered
// days evenly. For each run of days the excess is Rate × sales − threshold, where the
// threshold is the base rent charged for those days, after abatements
// (GUARANTEED_MINIMUM: 保底+扣点, the tenant pays the greater of base rent and
// Rate × sales, base rent being billed as RENT; NATURAL_BREAKPOINT: Rate × (sales −
// base rent / Rate), the same amount), or Rate × Breakpoint × days / days of that
// contract year (ARTIFICIAL_BREAKPOINT; Breakpoint is a full year's sales, so months
// and broken years are prorated by days). A PCT_RENT abatement waives its
// percentage of the excess.
//
// PCT_RENT_PROVISIONAL: per calendar month (cut at contract-year bounds) whose sales
// are known, max(0, Σ excess), billed in arrears on DueDay of the next month; a month
// without sales has no line yet. PCT_RENT_TRUEUP: per contract year — chosen over the
// calendar year because escalations, breakpoints and anniversaries all count from
// the lease start — once the year (or the broken year the lease ends in) is over by
// `through` and all its months have sales: max(0, the year's Σ excess) less the
// provisional amounts of that year. Because each month was floored at zero, the
// true-up is zero or a credit (months below the threshold offset months above it):
// it is, with ADJUSTMENT, the only line that can be negative.
//
// # Deposit
//
// 保证金 is held, not earned (a liability in the ledger): one DEPOSIT line on the
// lease's first day, due that day, and a top-up line on the effective date of a
// version that raises it. Refunds belong to the termination settlement.
//
// # Rounding
//
// Each line's amount is the exact decimal sum of its parts (16 digits after the point
// in divisions), rounded once to cents, half away from zero. Basis shows the parts
// to 4 places and the rounded total. A true-up and an adjustment are differences of
// rounded amounts, so the cents billed over a period always add up.
//
// # A period already billed never changes
//
// Lines is a pure function: after an amendment or a termination, recompute and call
// Adjust(billed, recomputed, in, due). For every charge and billing period already
// billed it compares the billed total (earlier ADJUSTMENT lines included) with the
// recomputed total and returns an ADJUSTMENT line for the difference, billed in the
// current period `in`; billed lines are never changed. Pending returns the
// recomputed lines of periods not billed yet.
package schedule
