package ledger

import (
	"context"
	"errors"
	"slices"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/ledger/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// Leg is one side of a posting: a signed amount on an account (positive = credit to
// the holder). AllowNegative lets a cached card account go below zero (claw-backs
// only).
type Leg struct {
	Account       Account
	Amount        decimal.Decimal
	AllowNegative bool
}

// Posting is a balanced set of legs of one group.
type Posting struct {
	GroupID uuid.UUID
	Kind    PostingKind
	Key     string // unique among all postings
	Memo    string
	Legs    []Leg
}

// Posted is the result of a posting: its id and the new balances of its card accounts.
type Posted struct {
	ID       uuid.UUID
	Balances map[Account]decimal.Decimal
}

// validate checks that p has at least two legs, whole-fen non-zero amounts, and sums
// to zero per asset.
func (p Posting) validate() error {
	if len(p.Legs) < 2 || p.Key == "" || p.Kind == "" {
		return ErrUnbalanced.Msgf("posting %q needs a kind, a key and two legs", p.Key)
	}
	sums := map[Asset]decimal.Decimal{}
	for _, l := range p.Legs {
		if l.Amount.IsZero() || !l.Amount.Equal(l.Amount.Round(2)) {
			return ErrUnbalanced.Msgf("posting %q has a zero or over-precise leg %s", p.Key, l.Amount)
		}
		sums[l.Account.Asset] = sums[l.Account.Asset].Add(l.Amount)
	}
	for asset, sum := range sums {
		if !sum.IsZero() {
			return ErrUnbalanced.Msgf("posting %q: %s legs sum to %s", p.Key, asset, sum)
		}
	}
	return nil
}

// PostTx records p inside tx. Card accounts' cached balances change with a
// conditional update (never below zero unless the leg allows it; ErrInsufficient or
// ErrInsufficientPoint otherwise). Callers that touch cards call LockCardsTx first.
//
// One round trip in the usual case (QueuePostTx): a batch of the posting row, its
// entries and its balance changes, the last two finding their accounts by name in the
// statement that writes them. A leg whose account did not exist then (or whose debit
// was refused) is finished by id afterwards (finishPosting). A refused leg leaves the
// posting and its entries written: the caller gives the transaction up, as after any
// error.
func (s *Service) PostTx(ctx context.Context, tx pgx.Tx, p Posting) (Posted, error) {
	var b storage.Batch
	q, err := s.QueuePostTx(ctx, &b, p)
	if err != nil {
		return Posted{}, err
	}
	if err := sendPosting(ctx, tx, &b, p.Key); err != nil {
		return q.out, err
	}
	return q.Finish(ctx, tx)
}

// sendPosting sends a batch holding the posting with key (and what goes with it): a
// key already used is ErrDuplicatePosting.
func sendPosting(ctx context.Context, tx pgx.Tx, b *storage.Batch, key string) error {
	err := b.Send(ctx, tx)
	if errors.Is(storage.MapError(err), storage.ErrConflict) {
		return ErrDuplicatePosting.Msgf("posting key %q was already used", key)
	}
	return err
}

// QueuedPosting is a posting queued in a caller's batch (QueuePostTx).
type QueuedPosting struct {
	groupID uuid.UUID
	out     Posted
	legs    []Leg
	entered map[uuid.UUID]bool // the accounts that got an entry
	applied bool               // the balance changes' result was read
}

// QueuePostTx is PostTx queued in the caller's batch b, for a caller that sends more
// statements in the same round trip: send b, then call Finish. A duplicate key fails
// b (ErrConflict on the posting's key); a refused debit is reported by Finish.
func (s *Service) QueuePostTx(ctx context.Context, b *storage.Batch, p Posting) (*QueuedPosting, error) {
	q := &QueuedPosting{groupID: p.GroupID, out: Posted{ID: service.NewID(), Balances: map[Account]decimal.Decimal{}},
		entered: map[uuid.UUID]bool{}}
	if err := p.validate(); err != nil {
		return nil, err
	}
	if q.legs = mergeLegs(p.Legs); len(q.legs) < 2 {
		return nil, ErrUnbalanced.Msgf("posting %q moves nothing", p.Key)
	}
	s.queuePosting(ctx, b, p, q)
	return q, nil
}

// ID is the posting's id.
func (q *QueuedPosting) ID() uuid.UUID { return q.out.ID }

// Complete reports whether the batch, sent, wrote every entry and balance change of
// the posting (Finish has nothing left to do).
func (q *QueuedPosting) Complete() bool {
	return len(q.entered) == len(q.legs) && len(q.out.Balances) == cachedCount(q.legs)
}

// Refused reports whether the batch, sent (even when a later statement of it failed),
// left a cached debit of the posting without its new balance: on accounts that exist
// (cards locked first, LockCardsTx) the balance refused it.
func (q *QueuedPosting) Refused() bool {
	if !q.applied {
		return false
	}
	for _, l := range q.legs {
		if _, done := q.out.Balances[l.Account]; !done && l.Account.cached() && l.Amount.IsNegative() && !l.AllowNegative {
			return true
		}
	}
	return false
}

// Finish completes the posting once its batch was sent without error (finishPosting:
// a missing account created, a refused debit reported) and returns it.
func (q *QueuedPosting) Finish(ctx context.Context, tx pgx.Tx) (Posted, error) {
	if q.Complete() {
		return q.out, nil
	}
	return q.out, finishPosting(ctx, tx, q.groupID, q.out, q.legs, q.entered)
}

// queuePosting queues in b the posting q.out.ID of p, the entries of q.legs and the
// changes of their cached balances (new balances into q.out, the accounts that got an
// entry into q.entered).
func (s *Service) queuePosting(ctx context.Context, b *storage.Batch, p Posting, q *QueuedPosting) {
	b.Queue(func(dbtx storage.Querier) {
		_ = queries.New(dbtx).InsertPosting(ctx, queries.InsertPostingParams{ID: q.out.ID, GroupID: p.GroupID,
			Kind: string(p.Kind), Key: p.Key, Memo: p.Memo, CreatedAt: s.now()})
	})
	queueEntries(ctx, b, p.GroupID, q.out.ID, q.legs).Query(func(rows pgx.Rows) error {
		ids, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
		for _, id := range ids {
			q.entered[id] = true
		}
		return err
	})
	if qq := queueBalances(ctx, b, p.GroupID, q.legs); qq != nil {
		qq.Query(func(rows pgx.Rows) error {
			changed, err := pgx.CollectRows(rows, pgx.RowToStructByPos[queries.ApplyLegsByAccountRow])
			q.applied = err == nil
			for _, r := range changed {
				q.out.Balances[Account{Kind: r.Kind, Owner: r.OwnerID, Asset: Asset(r.Asset)}] = r.Balance
			}
			return err
		})
	}
}

// queueEntries queues the insert of the entries of legs, accounts by name; its rows
// are the accounts that got an entry. Two legs (the usual posting) take a statement of
// fixed shape, which PostgreSQL plans once (arrays of any length get a new plan on
// every call).
func queueEntries(ctx context.Context, b *storage.Batch, groupID, postingID uuid.UUID, legs []Leg) *pgx.QueuedQuery {
	if len(legs) != 2 {
		return b.Queue(func(q storage.Querier) {
			_, _ = queries.New(q).InsertEntriesByAccount(ctx, entriesByAccount(groupID, postingID, legs))
		})
	}
	x, y := legs[0], legs[1]
	return b.Queue(func(q storage.Querier) {
		_, _ = queries.New(q).InsertTwoEntriesByAccount(ctx, queries.InsertTwoEntriesByAccountParams{PostingID: postingID,
			GroupID: groupID, Kind1: x.Account.Kind, Owner1: x.Account.Owner, Asset1: string(x.Account.Asset), Amount1: x.Amount,
			Kind2: y.Account.Kind, Owner2: y.Account.Owner, Asset2: string(y.Account.Asset), Amount2: y.Amount})
	})
}

// queueBalances queues the change of the cached balances among legs, accounts by name
// (nil when there is none); its rows are the accounts changed with their balances. One
// cached leg (the usual posting) takes a statement of fixed shape, planned once.
func queueBalances(ctx context.Context, b *storage.Batch, groupID uuid.UUID, legs []Leg) *pgx.QueuedQuery {
	in, ok := balancesByAccount(groupID, legs)
	switch {
	case !ok:
		return nil
	case len(in.Kinds) > 1:
		return b.Queue(func(q storage.Querier) { _, _ = queries.New(q).ApplyLegsByAccount(ctx, in) })
	}
	return b.Queue(func(q storage.Querier) {
		_, _ = queries.New(q).ApplyLegByAccount(ctx, queries.ApplyLegByAccountParams{GroupID: groupID, Kind: in.Kinds[0],
			OwnerID: in.Owners[0], Asset: in.Assets[0], Amount: in.Amounts[0], AllowNegative: in.AllowNegative[0]})
	})
}

// finishPosting completes a posting writePosting left short: it finds (or creates) the
// accounts of legs, inserts the entries of those that got none (not in entered) and
// changes, in account id order, the cached balances not changed yet (not in
// out.Balances): an account created meanwhile gets its leg, a refused debit is refused
// again (the card is locked, its balance has not moved) and reported.
func finishPosting(ctx context.Context, tx pgx.Tx, groupID uuid.UUID, out Posted, legs []Leg, entered map[uuid.UUID]bool) error {
	found, err := queries.New(tx).AccountIDs(ctx, accountsParams(groupID, legs))
	if err != nil {
		return err
	}
	ids, err := accountIDs(ctx, tx, groupID, legs, found)
	if err != nil {
		return err
	}
	var b storage.Batch
	var missing []int
	for i := range legs {
		if !entered[ids[i]] {
			missing = append(missing, i)
		}
	}
	if len(missing) > 0 {
		b.Queue(func(q storage.Querier) {
			_ = queries.New(q).InsertEntries(ctx, entriesParams(out.ID, ids, legs, missing))
		})
	}
	for _, i := range idOrder(ids) {
		if _, done := out.Balances[legs[i].Account]; done || !legs[i].Account.cached() {
			continue
		}
		queueLeg(ctx, &b, out, ids[i], legs[i])
	}
	return b.Send(ctx, tx)
}

// queueLeg queues in b the change of leg l's cached balance (account id), its new
// balance into out.
func queueLeg(ctx context.Context, b *storage.Batch, out Posted, id uuid.UUID, l Leg) {
	b.Queue(func(q storage.Querier) {
		_, _ = queries.New(q).ApplyLeg(ctx, queries.ApplyLegParams{ID: id, Amount: l.Amount, AllowNegative: l.AllowNegative})
	}).QueryRow(func(row pgx.Row) error {
		bal, err := legBalance(row, l)
		if err == nil {
			out.Balances[l.Account] = bal
		}
		return err
	})
}

// idOrder is the indexes of ids in id order.
func idOrder(ids []uuid.UUID) []int {
	order := make([]int, len(ids))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return slices.Compare(ids[a][:], ids[b][:]) })
	return order
}

// legBalance reads the balance ApplyLeg returned for l: no row is a debit the balance
// does not cover.
func legBalance(row pgx.Row, l Leg) (decimal.Decimal, error) {
	var bal decimal.Decimal
	err := row.Scan(&bal)
	if errors.Is(err, pgx.ErrNoRows) {
		if l.Account.Asset == Points {
			return bal, ErrInsufficientPoint
		}
		return bal, ErrInsufficient.Msgf("the %s balance is not enough", l.Account.Asset)
	}
	return bal, err
}

// cachedCount is how many of legs are on cached accounts.
func cachedCount(legs []Leg) int {
	n := 0
	for _, l := range legs {
		if l.Account.cached() {
			n++
		}
	}
	return n
}

// entriesByAccount is the entries of the posting's legs, accounts by name (InsertEntriesByAccount).
func entriesByAccount(groupID, postingID uuid.UUID, legs []Leg) queries.InsertEntriesByAccountParams {
	in := queries.InsertEntriesByAccountParams{PostingID: postingID, GroupID: groupID}
	for _, l := range legs {
		in.Kinds, in.Owners = append(in.Kinds, l.Account.Kind), append(in.Owners, l.Account.Owner)
		in.Assets, in.Amounts = append(in.Assets, string(l.Account.Asset)), append(in.Amounts, l.Amount)
	}
	return in
}

// balancesByAccount is the changes of the cached balances among legs, accounts by name
// (ApplyLegsByAccount); ok is false when there is none.
func balancesByAccount(groupID uuid.UUID, legs []Leg) (in queries.ApplyLegsByAccountParams, ok bool) {
	in.GroupID = groupID
	for _, l := range legs {
		if !l.Account.cached() {
			continue
		}
		in.Kinds, in.Owners = append(in.Kinds, l.Account.Kind), append(in.Owners, l.Account.Owner)
		in.Assets, in.Amounts = append(in.Assets, string(l.Account.Asset)), append(in.Amounts, l.Amount)
		in.AllowNegative = append(in.AllowNegative, l.AllowNegative)
	}
	return in, len(in.Kinds) > 0
}

// mergeLegs sums legs on the same account (a posting touches each account once).
func mergeLegs(legs []Leg) []Leg {
	var out []Leg
	at := map[Account]int{}
	for _, l := range legs {
		if i, ok := at[l.Account]; ok {
			out[i].Amount = out[i].Amount.Add(l.Amount)
			out[i].AllowNegative = out[i].AllowNegative || l.AllowNegative
			continue
		}
		at[l.Account] = len(out)
		out = append(out, l)
	}
	return slices.DeleteFunc(out, func(l Leg) bool { return l.Amount.IsZero() })
}

// entriesParams is the entries of legs[i] for i in which, accounts by id (InsertEntries).
func entriesParams(postingID uuid.UUID, ids []uuid.UUID, legs []Leg, which []int) queries.InsertEntriesParams {
	in := queries.InsertEntriesParams{PostingID: postingID}
	for _, i := range which {
		in.AccountIds, in.Assets = append(in.AccountIds, ids[i]), append(in.Assets, string(legs[i].Account.Asset))
		in.Amounts = append(in.Amounts, legs[i].Amount)
	}
	return in
}
