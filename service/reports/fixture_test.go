package reports_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/storage"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// shanghai is the test malls' time zone (UTC+8, no daylight saving).
var shanghai = time.FixedZone("CST", 8*3600)

// local is an instant given in Shanghai wall time.
func local(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, shanghai).UTC()
}

// now is the tests' clock: 2 December 2026, noon in Shanghai.
var now = local(2026, time.December, 2, 12, 0)

// fixture is a group with two malls in Asia/Shanghai (mall and other), merchants,
// card types, tiers and ledger accounts, written straight into the owners' tables (the
// reports read those rows; how they came about is their owners' business).
type fixture struct {
	t                       testing.TB
	ctx                     context.Context
	set                     *servicetest.Set
	group                   uuid.UUID
	mall                    uuid.UUID
	other                   uuid.UUID
	coffee, shoe, otherShop uuid.UUID
	ecard, stored           uuid.UUID // card types "E-Card", "Stored Value"
	silver, gold            uuid.UUID // tiers
	issuance, redeemed      uuid.UUID // the group's system points accounts
	n                       int
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	return newFixtureOn(t, storetest.DB(t))
}

// newFixtureOn is newFixture on a database of the caller's, with more options (the
// replica test's read URL).
func newFixtureOn(t testing.TB, db *storage.DB, opts ...servicetest.Option) *fixture {
	t.Helper()
	set := servicetest.New(t, db, append([]servicetest.Option{servicetest.Clock(func() time.Time { return now }),
		servicetest.Setting("ATRIUM_TIMEZONE", "Asia/Shanghai")}, opts...)...)
	f := &fixture{t: t, ctx: context.Background(), set: set, group: uuid.New(), mall: uuid.New(), other: uuid.New(),
		coffee: uuid.New(), shoe: uuid.New(), otherShop: uuid.New(), ecard: uuid.New(), stored: uuid.New(),
		silver: uuid.New(), gold: uuid.New(), issuance: uuid.New(), redeemed: uuid.New()}
	f.exec(`INSERT INTO org_groups (id, code, name) VALUES ($1, $2, 'G')`, f.group, storetest.RandomName("g"))
	f.exec(`INSERT INTO malls (id, group_id, code, name, time_zone) VALUES ($1, $3, $4, 'Mall', 'Asia/Shanghai'),
		($2, $3, $5, 'Other', 'Asia/Shanghai')`, f.mall, f.other, f.group, storetest.RandomName("m"), storetest.RandomName("o"))
	f.exec(`INSERT INTO merchants (id, mall_id, code, name, category) VALUES ($1, $4, 'COFFEE', 'Coffee', '餐饮'),
		($2, $4, 'SHOE', 'Shoes', '零售'), ($3, $5, 'OTHER', 'Other shop', '餐饮')`,
		f.coffee, f.shoe, f.otherShop, f.mall, f.other)
	f.exec(`INSERT INTO card_types (id, group_id, code, name, kind) VALUES ($1, $3, 'E', 'E-Card', 'points'),
		($2, $3, 'SV', 'Stored Value', 'stored_value')`, f.ecard, f.stored, f.group)
	f.exec(`INSERT INTO loyalty_tiers (id, group_id, code, name, rank, threshold) VALUES ($1, $3, 'S', 'Silver', 1, 0),
		($2, $3, 'G', 'Gold', 2, 1000)`, f.silver, f.gold, f.group)
	f.exec(`INSERT INTO ledger_accounts (id, group_id, kind, owner_id, asset, cached) VALUES
		($1, $3, 'issuance', '00000000-0000-0000-0000-000000000000', 'points', false),
		($2, $3, 'redeemed', '00000000-0000-0000-0000-000000000000', 'points', false)`, f.issuance, f.redeemed, f.group)
	return f
}

func (f *fixture) exec(sql string, args ...any) {
	f.t.Helper()
	if _, err := f.set.DB.Pool.Exec(f.ctx, sql, args...); err != nil {
		f.t.Fatalf("%s: %v", sql, err)
	}
}

// member registers a member at mall with a tier (uuid.Nil: none).
func (f *fixture) member(mall, tier uuid.UUID) uuid.UUID {
	id := uuid.New()
	f.exec(`INSERT INTO members (id, group_id, registered_mall_id, tier_id, name, registered_at)
		VALUES ($1, $2, $3, nullif($4, '00000000-0000-0000-0000-000000000000'::uuid), 'M', $5)`, id, f.group, mall, tier,
		now)
	return id
}

// card issues a card of a type to a member at a time (its "issue" event), replacing
// another when replaces is set (that one's "reissue" event at the same time).
func (f *fixture) card(member, cardType uuid.UUID, at time.Time, replaces *uuid.UUID) uuid.UUID {
	f.n++
	id := uuid.New()
	f.exec(`INSERT INTO cards (id, group_id, member_id, card_type_id, number, issued_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		id, f.group, member, cardType, storetest.RandomName("c"), at)
	details := `{}`
	if replaces != nil {
		f.event(*replaces, "reissue", at, `{}`)
		details = `{"replaces": "` + replaces.String() + `"}`
	}
	f.event(id, "issue", at, details)
	return id
}

func (f *fixture) event(card uuid.UUID, action string, at time.Time, details string) {
	f.exec(`INSERT INTO card_events (id, card_id, group_id, action, to_status, operator_kind, details, at)
		VALUES ($1, $2, $3, $4, 'active', 'staff', $5::jsonb, $6)`, uuid.New(), card, f.group, action, details, at)
}

// purchase records a purchase at a merchant of a mall at a time.
func (f *fixture) purchase(mall, merchant, member, card uuid.UUID, amount string, at time.Time) uuid.UUID {
	id := uuid.New()
	f.exec(`INSERT INTO loyalty_purchases (id, group_id, mall_id, merchant_id, receipt_no, member_id, card_id, pay_card_id,
		amount, discount_rate, payable, stored_value, points_used, points_value, cash, points_earned, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8::numeric, 1, $8::numeric, 0, 0, 0, $8::numeric, 0, $9)`,
		id, f.group, mall, merchant, storetest.RandomName("r"), member, card, amount, at)
	return id
}

func (f *fixture) refund(purchase uuid.UUID, amount string, at time.Time) {
	f.exec(`INSERT INTO loyalty_refunds (id, purchase_id, amount, stored_value, points_back, points_clawed, cash, created_at)
		VALUES ($1, $2, $3::numeric, 0, 0, 0, $3::numeric, $4)`, uuid.New(), purchase, amount, at)
}

// account is a card's ledger account of a kind and asset.
func (f *fixture) account(card uuid.UUID, kind, asset string) uuid.UUID {
	id := uuid.New()
	f.exec(`INSERT INTO ledger_accounts (id, group_id, kind, owner_id, asset, cached) VALUES ($1, $2, $3, $4, $5, true)`,
		id, f.group, kind, card, asset)
	return id
}

// post writes a posting at a time with entries (account, amount) that sum to zero.
func (f *fixture) post(at time.Time, asset string, entries ...any) uuid.UUID {
	id := uuid.New()
	f.exec(`INSERT INTO ledger_postings (id, group_id, kind, key, created_at) VALUES ($1, $2, 'test', $3, $4)`,
		id, f.group, id.String(), at)
	for i := 0; i < len(entries); i += 2 {
		f.exec(`INSERT INTO ledger_entries (posting_id, account_id, asset, amount) VALUES ($1, $2, $3, $4::numeric)`,
			id, entries[i], asset, entries[i+1])
	}
	return id
}

// lot is a points lot of a card's account (1,000 points) with what remains of it, and
// its moves as the ledger writes them: the lot's amount when created and, on the same
// posting, what it has lost since (a closed lot, expired or moved, keeps nothing).
func (f *fixture) lot(account, card, posting uuid.UUID, status, remaining string, expires time.Time) {
	id := uuid.New()
	f.exec(`INSERT INTO ledger_lots (id, account_id, card_id, status, amount, remaining, available_at, expires_at,
		posting_id, created_at) VALUES ($1, $2, $3, $4, 1000, $5::numeric, $6, $7, $8, $6)`,
		id, account, card, status, remaining, expires.AddDate(-1, 0, 0), expires, posting)
	f.exec(`INSERT INTO ledger_lot_moves (lot_id, posting_id, amount) VALUES ($1, $2, 1000)`, id, posting)
	f.exec(`INSERT INTO ledger_lot_moves (lot_id, posting_id, amount) SELECT $1, $2, $3::numeric - 1000
		WHERE $3::numeric < 1000`, id, posting, remaining)
}

// rows reads a query's rows as text, for comparing rollups before and after a rerun.
func (f *fixture) rows(sql string) []string {
	f.t.Helper()
	rs, err := f.set.DB.Pool.Query(f.ctx, sql)
	if err != nil {
		f.t.Fatal(err)
	}
	out, err := pgx.CollectRows(rs, pgx.RowTo[string])
	if err != nil {
		f.t.Fatal(err)
	}
	return out
}

type contextT = context.Context
