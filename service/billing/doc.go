// Package billing is the billing context (issue 13, its core): bill runs that turn
// every active contract's charge lines of a month into one bill per tenant, the bill
// lifecycle, VAT per charge code, and the receivables those bills post to the one
// ledger, and the fees built on them: energy, late fees, deposits, statements (see
// "Seams" below). Payments, allocation and receipts build on its tables.
//
// # Bill runs
//
// A run is one mall's calendar month ("YYYY-MM"), one row per (mall, period): starting
// it again, even concurrently, returns the same run. StartRun inserts the run and its
// River job (RunArgs, unique per run) in one transaction; the job (Execute) works the
// mall's billable contracts (leasing.BillableContracts: holding their units from a day
// by the month's end, ended no earlier than Lookback months before it, so a contract
// that ended lately still gets its adjustment or last true-up) in keyset batches of
// 200, one transaction each:
//
//  1. the run row is locked and its cursor read (the last contract id done);
//  2. the batch's merchants' declared monthly sales before the month (sales.MonthsTx)
//     become each contract's percentage-rent base, handed to leasing;
//  3. leasing.OpenLinesTx computes the contracts' open lines through the month's end
//     (rent, management fee, provisional and true-up percentage rent, deposit,
//     adjustments; leasing's schedule already stops at a termination);
//  4. leasing.FreezeLinesTx freezes them in one statement and returns the lines frozen
//     now: only those are billed, so a (contract, charge code, period) is billed once
//     whatever reruns, crashes or concurrent runs happen; the months of percentage rent
//     billed close their merchant's sales (sales.CloseManyTx);
//  5. the contracts' unbilled one-off charges (AddOneOffCharge) are taken, and the
//     energy step (EnergySource) adds the units' energy charges;
//  6. the charges are split at their code's VAT rate and grouped into one draft bill
//     per merchant (Group); bills are upserted per (run, merchant), lines written with
//     COPY, bill totals refreshed from their lines;
//  7. the run report (billed, or skipped and why, per contract) and the run's progress
//     (cursor, done, billed, skipped) commit with the batch.
//
// A run killed half-way loses at most its open batch (rolled back) and continues from
// the cursor when its job runs again.
//
// # Lines and their identity
//
// billing_bill_lines is unique on (contract, source, source_key): a schedule line's key
// is leasing's frozen-line key "CODE|OF|VERSION|BILL_START|PERIOD_START", a one-off
// charge's its id, an energy line's the energy source's. Each line carries its
// contract, charge code (and the code an ADJUSTMENT corrects), period, due date, VAT
// rate, net, VAT, gross, basis (the computation in words) and outstanding — what is
// still owed on it. A bill's amounts are the sums of its lines'.
//
// # VAT
//
// The schedule's amounts, one-off charges and energy charges are tax-inclusive (含税):
// a Chinese lease quotes rent with VAT. Split takes the VAT out of the gross, rounded
// half away from zero to the fen per line (四舍五入), and the net is the rest, so net +
// VAT = gross on every line and bill. Rates are per mall and charge code
// (billing_vat_rates) over DefaultRates (rent 9 %, management fee 6 %, energy 13 %,
// deposit 0: held, not earned); an ADJUSTMENT is taxed as the charge it corrects.
//
// # Lifecycle and the ledger
//
// DRAFT → REVIEWED → ISSUED, and VOID for a draft (billStates); review and void wait
// for the run to be done. Issuing posts, with ledger.PostManyTx (many bills' postings
// in one round trip, derived accounts only, so concurrent postings never queue on a
// balance row), key PostingKey(bill) — one per bill, so issuing again posts nothing:
// Dr tenant_receivable (owner: the merchant) the gross; Cr revenue.<CODE> (owner: the
// mall) each code's net; Cr vat_payable (owner: the mall) the VAT; a deposit's net goes
// to deposit_held (owner: the merchant) instead of revenue. Balances read
// debit-positive: a tenant's receivable is what it owes. An issued bill's outstanding
// starts at its gross. Verify (run by `atrium ledger verify`) checks that every
// merchant's receivable equals the outstanding of its issued bills, that every issued
// bill has its one posting, and that bills equal their lines.
//
// # Payments
//
// A tenant pays by bank transfer or cash, entered by finance (RecordTenantPayment,
// once per idempotency key), or with WeChat Pay (PayBill: JSAPI in the tenant app;
// BillPaymentQR: a Native QR finance shows at the counter) — a BILL order of the
// payments context whose paid notification BillSettler settles inside the payments
// transaction that marks the order PAID, so exactly once (billing_payments.order_id is
// unique besides). Every payment is a billing_payments row with a receipt number
// (finance's paper one, or generated R<date>-<12 hex>).
//
// Allocation (allocation.go) runs under the merchant's allocation lock — its
// billing_tenant_credits row, locked FOR UPDATE first by every payment, reversal and
// credit application of the merchant — then locks the merchant's open lines (issued
// bills' lines with outstanding > 0) in id order. The amount is spread contract by
// contract (the contract with the oldest open due date first), each contract's lines
// by its declared waterfall (billing_waterfalls, SetWaterfall; alloc.Default when none)
// with alloc.Allocate; a WeChat Pay payment pays its own bill's lines first. Finance
// may give the parts instead (alloc.Manual). The new outstanding amounts are computed
// with alloc.Apply and written with a conditional UPDATE (only where the line still
// holds what was read), bills' outstanding refreshed from their lines, and each part
// recorded in billing_allocations, all in the payment's transaction. What is left is
// tenant credit. Ledger (PostManyTx, key "billing.payment:<id>"): Dr the mall's
// account of the method (bank, cash, wechatpay_clearing: clearing accounts owned by the
// mall, one per channel) the amount; Cr tenant_receivable (the merchant) what was
// allocated; Cr tenant_credit (the merchant) the rest.
//
// Tenant credit is applied when a bill is issued (issueTx, after the posting: each
// issued bill's merchant with credit, locked in merchant order) and on demand
// (ApplyTenantCredit, by the waterfall or finance's parts): Dr tenant_credit / Cr
// tenant_receivable, key "billing.credit:<application id>", allocations without a
// payment.
//
// ReversePayment (finance, with a reason) gives every live allocation back exactly
// (alloc.Reverse over the lines read under lock), takes back the credit the payment
// left (refused with PAYMENT_CREDIT_APPLIED when that credit was applied since: the
// credit is no longer there to take), posts the mirror of the payment's posting
// ("billing.payment.reverse:<id>") and marks the payment and its allocations reversed.
// A WeChat Pay bill payment is not refunded online (BillSettler.RefundTx refuses):
// finance reverses it and refunds in WeChat Pay's merchant platform.
//
// Verify adds: each merchant's tenant_credit balance is minus its unapplied credit;
// each posted payment's live allocations plus the credit it left equal its amount; a
// reversed payment keeps no live allocation.
//
// Receipts (receipts.go, package receipt): a payment's PDF (mall, tenant, amount,
// method, reference, the allocation per bill line, the credit left) is rendered the
// first time it is asked for, stored in object storage under
// billing/receipts/<group>/<payment>.pdf and recorded on the payment (generated once),
// and served through a 15-minute presigned link.
//
// Fapiao (fapiao.go): one request per bill (unique), its tax number a valid unified
// social credit code (package uscc), sent to the FapiaoProvider at once, synchronously,
// after the request is recorded: REQUESTED → ISSUED with the invoice number, or FAILED
// with the provider's error. FakeFapiao is the provider of tests and development (app
// wires it until a tax-control provider exists). Limit: a process that dies between
// recording and the provider's answer leaves the request REQUESTED; there is no retry
// job yet.
//
// # Who
//
// FINANCE and ADMIN of a mall run, read, review, issue and void its bills and enter
// one-off charges and VAT rates, record, reverse and list payments, apply credit, set
// waterfalls and show payment QR codes; a tenant's TENANT_ADMIN reads its merchant's
// issued bills (MyBills, MyBill), payments, receipts and credit, pays its bills
// (PayBill) and requests fapiao, and nothing else.
//
// # Seams
//
//   - Energy: EnergySource.EnergyCharges, called per batch in its transaction;
//     production wires Metered (energy.go): energy in arrears, the run of month M
//     bills M−1 from the units' meters (meters.UnitMetersTx) and the mall's tariffs.
//   - Payments and allocation: built (see "Payments" above); each allocation and its
//     reversal is also a dated line move (billing_line_moves: late fees and statements
//     read it).
//   - Late fees (latefees.go): a daily job per mall accrues each overdue (bill,
//     contract) from its watermark; the accruals are LATE_FEE lines (source late_fee)
//     on a late-fee bill per tenant (Kind late_fee, no run), issued and posted at once.
//   - Deposits and waivers (approvals.go, deposits.go): requested by finance, approved
//     by ADMIN or another finance user, posted on approval.
//   - Statements and ageing (statements.go): bills issued and line moves, dated; open
//     items aged with the ageing package; equal to the receivable by Verify.
//   - Voiding a draft keeps its lines billed (the schedule lines stay frozen): the
//     correction is a one-off charge or credit on the next run.
package billing
