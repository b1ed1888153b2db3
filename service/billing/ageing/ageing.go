// Package ageing is a tenant's outstanding statement with ageing buckets and the
// tenant statement of account (issue 13, "Statements and ageing"). It is pure: the
// billing service passes the open items (bill lines with what is still unpaid after
// partial payments and allocations), the tenant's unapplied credit and the activity
// it reads from its tables.
//
// # Buckets
//
// An item is aged by its due date: days past due = AsOf − Due. Not yet due (due
// today or later, days ≤ 0) is its own bucket, CURRENT, because an amount not yet
// due is not in arrears and finance chases the others; then 0–30 (1 to 30 days past
// due), 31–60, 61–90 and 90+ (91 days and more). Items with nothing outstanding are
// left out. Arrears of an ended or terminated contract stay open items like any
// other and are aged the same way.
//
// # The relation with the ledger
//
// Every bill line debits the tenant receivable and every allocation (of a payment or
// of credit) credits it by line, so the tenant receivable balance is the sum of the
// open items' outstanding amounts: Ageing.Total (= Σ buckets). What a payment leaves
// over is credited to tenant credit (a liability), not to the receivable: it is
// Ageing.Credit, shown apart and not netted into any bucket. Hence, to the fen, for
// one tenant at any instant:
//
//	Σ buckets = Total = ledger tenant receivable balance (debit)
//	Net = Total − Credit = receivable − tenant credit = the statement's closing balance
//
// TestAgeingEqualsLedger checks both over random histories of bills, late fees,
// partial payments, overpayments, credit applications, waivers and reversals.
//
// # Statement
//
// A statement of account for a period lists the opening balance (the sum of every
// entry before the period), the period's entries in date order (ties in the order
// given) each with the running balance, and the closing balance = opening + Σ the
// period's entries. Balances are what the tenant owes net of credit (positive: owes;
// negative: in credit). An entry's Amount is signed by its effect on that balance:
// bills and late fees raise it, payments lower it (all of a payment, whether it paid
// lines or became credit), a payment's reversal raises it back, waivers and credit
// notes lower it, a refund of credit raises it; applying credit to a bill moves money
// between the two ledger accounts and is no entry. All amounts are to the fen; no
// figure here is ever rounded.
package ageing

import (
	"sort"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
)

// ErrInput: an item, the credit or an entry is malformed; the error names the field.
var ErrInput = errs.New(errs.KindUser, "AGEING_INPUT", "the statement input is malformed")

// Bucket is an ageing bucket.
type Bucket string

// The buckets, in order.
const (
	Current Bucket = "CURRENT" // not yet due
	Days30  Bucket = "0_30"    // 1–30 days past due
	Days60  Bucket = "31_60"
	Days90  Bucket = "61_90"
	Over90  Bucket = "90_PLUS" // 91 days and more
)

// Buckets lists the buckets in order.
var Buckets = []Bucket{Current, Days30, Days60, Days90, Over90}

// BucketOf returns the bucket of an amount due on due, as of asOf.
func BucketOf(due, asOf schedule.Date) Bucket {
	switch days := asOf.Sub(due); {
	case days <= 0:
		return Current
	case days <= 30:
		return Days30
	case days <= 60:
		return Days60
	case days <= 90:
		return Days90
	}
	return Over90
}

// Item is an open item: a bill line and what is still unpaid of it.
type Item struct {
	LineID      string
	BillID      string
	Code        string
	Due         schedule.Date
	Outstanding decimal.Decimal // ≥ 0, to the fen
}

// Row is one bucket's total and its items.
type Row struct {
	Bucket Bucket
	Amount decimal.Decimal
	Items  []Item // oldest due first, ties by line id
}

// Ageing is the outstanding statement of one tenant as of a day.
type Ageing struct {
	AsOf   schedule.Date
	Rows   []Row           // one per bucket, in Buckets' order, empty ones included
	Total  decimal.Decimal // Σ rows: the tenant receivable balance
	Credit decimal.Decimal // unapplied tenant credit, apart
	Net    decimal.Decimal // Total − Credit
}

// Age buckets the open items as of asOf and shows credit apart.
func Age(items []Item, credit decimal.Decimal, asOf schedule.Date) (Ageing, error) {
	if credit.IsNegative() || !fen(credit) {
		return Ageing{}, ErrInput.At("credit").Msgf("credit is not negative, to the fen")
	}
	sorted := append([]Item(nil), items...)
	sort.SliceStable(sorted, func(i, j int) bool {
		if !sorted[i].Due.Equal(sorted[j].Due) {
			return sorted[i].Due.Before(sorted[j].Due)
		}
		return sorted[i].LineID < sorted[j].LineID
	})
	a := Ageing{AsOf: asOf, Total: decimal.Zero, Credit: credit}
	at := map[Bucket]int{}
	for i, b := range Buckets {
		a.Rows = append(a.Rows, Row{Bucket: b, Amount: decimal.Zero})
		at[b] = i
	}
	for i, it := range items {
		if it.Outstanding.IsNegative() || !fen(it.Outstanding) {
			return Ageing{}, ErrInput.At("items", strconv.Itoa(i), "outstanding").
				Msgf("outstanding is not negative, to the fen")
		}
		if it.Due.IsZero() {
			return Ageing{}, ErrInput.At("items", strconv.Itoa(i), "due").Msgf("an item needs its due date")
		}
	}
	for _, it := range sorted {
		if !it.Outstanding.IsPositive() {
			continue
		}
		r := &a.Rows[at[BucketOf(it.Due, asOf)]]
		r.Amount = r.Amount.Add(it.Outstanding)
		r.Items = append(r.Items, it)
		a.Total = a.Total.Add(it.Outstanding)
	}
	a.Net = a.Total.Sub(credit)
	return a, nil
}

// Kind labels a statement entry.
type Kind string

// The entry kinds.
const (
	KindBill       Kind = "BILL"
	KindLateFee    Kind = "LATE_FEE"
	KindPayment    Kind = "PAYMENT"
	KindReversal   Kind = "REVERSAL" // of a payment
	KindWaiver     Kind = "WAIVER"
	KindCreditNote Kind = "CREDIT_NOTE"
	KindRefund     Kind = "REFUND" // of credit
)

// Entry is one movement of what the tenant owes.
type Entry struct {
	On   schedule.Date
	Kind Kind
	Ref  string // the bill, payment, … it comes from
	// Amount is signed by its effect on what the tenant owes: + raises it.
	Amount decimal.Decimal
	Text   string
}

// Line is a statement entry with the balance after it.
type Line struct {
	Entry
	Balance decimal.Decimal
}

// Statement is a tenant's statement of account for a period.
type Statement struct {
	Period  schedule.Period
	Opening decimal.Decimal
	Lines   []Line
	Closing decimal.Decimal
}

// NewStatement builds the statement of p from the tenant's entries (all of them: those
// before p make the opening balance, those after are left out).
func NewStatement(entries []Entry, p schedule.Period) (Statement, error) {
	s := Statement{Period: p, Opening: decimal.Zero}
	var in []Entry
	for i, e := range entries {
		switch {
		case e.On.IsZero():
			return Statement{}, ErrInput.At("entries", strconv.Itoa(i), "on").Msgf("an entry needs its date")
		case !fen(e.Amount):
			return Statement{}, ErrInput.At("entries", strconv.Itoa(i), "amount").Msgf("an amount is to the fen")
		case e.On.Before(p.Start):
			s.Opening = s.Opening.Add(e.Amount)
		case !e.On.After(p.End):
			in = append(in, e)
		}
	}
	sort.SliceStable(in, func(i, j int) bool { return in[i].On.Before(in[j].On) })
	bal := s.Opening
	for _, e := range in {
		bal = bal.Add(e.Amount)
		s.Lines = append(s.Lines, Line{Entry: e, Balance: bal})
	}
	s.Closing = bal
	return s, nil
}

func fen(d decimal.Decimal) bool { return d.Equal(d.Round(2)) }
