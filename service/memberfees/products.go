package memberfees

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/memberfees/feerules"
	"github.com/atrium-mall/atrium/service/memberfees/internal/queries"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/once"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/storage"
)

// SellInput sells a card of a priced type to a member at a desk, the price paid in
// cash; the joining fee (if the type has one) is charged to the card's payer.
type SellInput struct {
	MallID         uuid.UUID
	MemberID       uuid.UUID
	CardTypeID     uuid.UUID
	UID            string     // a physical card's reader UID ("" for virtual)
	CardGroupID    *uuid.UUID // a group card (团体卡): the card joins the group, whose payer pays its fees
	ShiftID        *uuid.UUID // the cashier shift taking the cash (optional)
	IdempotencyKey string
}

// Sale is a sold card.
type Sale struct {
	CardID     uuid.UUID
	Number     string
	Price      decimal.Decimal
	ExpiresAt  *time.Time
	JoiningFee *Fee
}

// Sell sells a card (memberfees.sell, once per key).
func (s *Service) Sell(ctx context.Context, in SellInput) (Sale, error) {
	var p org.Place
	var staff uuid.UUID
	out, _, err := once.Do(ctx, s.db, once.Op[Sale]{Name: "memberfees.sell", Key: in.IdempotencyKey, Args: in,
		Authorize: func(ctx context.Context, tx pgx.Tx) (err error) {
			p, staff, err = s.desk(ctx, tx, in.MallID, deskRoles)
			return err
		},
		Run: func(ctx context.Context, tx pgx.Tx) (Sale, error) {
			group, _, err := members.MemberGroupOf(ctx, tx, in.MemberID)
			if err != nil || group != p.GroupID {
				return Sale{}, errs.ErrNotFound.Msgf("member not found")
			}
			prod, err := members.CardProductOf(ctx, tx, in.CardTypeID)
			if err != nil || prod.GroupID != p.GroupID {
				return Sale{}, errs.ErrNotFound.Msgf("card type not found")
			}
			if prod.Price == nil {
				return Sale{}, ErrNotForSale.At("input", "cardTypeId")
			}
			var expires *time.Time
			if prod.ValidityMonths != nil {
				e := s.now().AddDate(0, *prod.ValidityMonths, 0)
				expires = &e
			}
			c, err := s.members.IssueCardTx(ctx, tx, members.IssueCardInput{MemberID: in.MemberID, CardTypeID: in.CardTypeID,
				UID: in.UID, ExpiresAt: expires, Reason: "sold at the desk"})
			if err != nil {
				return Sale{}, err
			}
			if in.CardGroupID != nil {
				if err := s.joinGroupTx(ctx, tx, p, *in.CardGroupID, c); err != nil {
					return Sale{}, err
				}
			}
			q := queries.New(tx)
			saleID := service.NewID()
			shift, err := s.tillTx(ctx, tx, p, staff, in.ShiftID, "CARD_SALE", saleID.String(), *prod.Price)
			if err != nil {
				return Sale{}, err
			}
			if err := q.InsertSale(ctx, queries.InsertSaleParams{ID: saleID, GroupID: p.GroupID, MallID: p.MallID,
				CardID: c.ID, MemberID: in.MemberID, Price: *prod.Price, StaffID: staff, ShiftID: shift,
				CreatedAt: s.now()}); err != nil {
				return Sale{}, err
			}
			if prod.Price.IsPositive() {
				if _, err := s.ledger.PostTx(ctx, tx, ledger.Posting{GroupID: p.GroupID, Kind: PostingCardSale,
					Key: "mfee-sale:" + saleID.String(), Memo: "card " + c.Number,
					Legs: []ledger.Leg{{Account: ledger.System(ledger.KindOutside, ledger.CNY), Amount: prod.Price.Neg()},
						{Account: mallAccount(KindCardSales, p.MallID), Amount: *prod.Price}}}); err != nil {
					return Sale{}, err
				}
			}
			sale := Sale{CardID: c.ID, Number: c.Number, Price: *prod.Price, ExpiresAt: c.ExpiresAt}
			today := s.today(p)
			f, charged, err := s.chargeTx(ctx, tx, c, p.MallID, feerules.Joining, "issue", prod.JoiningFee, today, &staff)
			if err != nil {
				return Sale{}, err
			}
			if charged {
				sale.JoiningFee = &f
			}
			return sale, nil
		}})
	return out, err
}

// RenewInput renews a card at a desk.
type RenewInput struct {
	MallID         uuid.UUID
	CardID         uuid.UUID
	IdempotencyKey string
}

// Renewal is a renewal done.
type Renewal struct {
	CardID    uuid.UUID
	From      *time.Time
	ExpiresAt time.Time
	AnnualFee *Fee // the fee year the renewal starts, when it was not charged yet
}

// Renew extends a card's validity by its type's months (from its expiry while still
// valid, else from now) and charges the annual fee of the fee year the new validity
// starts in (when not charged before); memberfees.renew, once per key: a repeat with
// the same key replays the first renewal and extends nothing more.
func (s *Service) Renew(ctx context.Context, in RenewInput) (Renewal, error) {
	var p org.Place
	var staff uuid.UUID
	out, _, err := once.Do(ctx, s.db, once.Op[Renewal]{Name: "memberfees.renew", Key: in.IdempotencyKey, Args: in,
		Authorize: func(ctx context.Context, tx pgx.Tx) (err error) {
			p, staff, err = s.desk(ctx, tx, in.MallID, deskRoles)
			return err
		},
		Run: func(ctx context.Context, tx pgx.Tx) (Renewal, error) {
			c, err := cardAt(ctx, tx, p, in.CardID, true)
			if err != nil {
				return Renewal{}, err
			}
			if c.Status != members.StatusActive {
				return Renewal{}, c.Usable(s.now())
			}
			prod, err := members.CardProductOf(ctx, tx, c.CardTypeID)
			if err != nil {
				return Renewal{}, err
			}
			if !prod.Renewable || prod.ValidityMonths == nil {
				return Renewal{}, ErrNotRenewable
			}
			now := s.now()
			to := feerules.Renewal(c.ExpiresAt, now, *prod.ValidityMonths)
			if err := members.SetCardExpiryTx(ctx, tx, c.ID, to); err != nil {
				return Renewal{}, err
			}
			out := Renewal{CardID: c.ID, From: c.ExpiresAt, ExpiresAt: to}
			zone := s.zoneOf(p)
			from := now
			if c.ExpiresAt != nil && c.ExpiresAt.After(now) {
				from = *c.ExpiresAt
			}
			fee, kind := prod.AnnualFee, feerules.Annual
			if c.Supplementary() {
				fee, kind = prod.SupplementaryAnnualFee, feerules.SupplementaryAnnual
			}
			var feeID *uuid.UUID
			if years := feerules.AnnualPeriods(feerules.Date(c.IssuedAt.In(zone)), nil, feerules.Date(from.In(zone))); len(years) > 0 {
				start := years[len(years)-1]
				pol, err := policyOf(ctx, tx, c.GroupID)
				if err != nil {
					return Renewal{}, err
				}
				f, charged, err := s.chargeTx(ctx, tx, c, p.MallID, kind, start.Format(time.DateOnly), fee,
					s.today(p).AddDate(0, 0, pol.PaymentDays), &staff)
				if err != nil {
					return Renewal{}, err
				}
				if charged {
					out.AnnualFee, feeID = &f, &f.ID
				}
			}
			err = queries.New(tx).InsertRenewal(ctx, queries.InsertRenewalParams{ID: service.NewID(), GroupID: c.GroupID,
				CardID: c.ID, FromExpires: c.ExpiresAt, ToExpires: to, FeeID: feeID, StaffID: staff, CreatedAt: now})
			return out, err
		}})
	return out, err
}

// WithdrawInput withdraws stored value from a card at a desk (paid out in cash).
type WithdrawInput struct {
	MallID         uuid.UUID
	CardID         uuid.UUID
	Amount         decimal.Decimal // taken off the card; the fee is kept, the rest paid out
	ShiftID        *uuid.UUID
	IdempotencyKey string
}

// Withdrawal is a withdrawal done.
type Withdrawal struct {
	ID               uuid.UUID
	CardID           uuid.UUID
	Amount, Fee, Net decimal.Decimal
	BalanceAfter     decimal.Decimal
}

// Withdraw takes stored value off a primary card whose type allows withdrawal, within
// its minimum, maximum and daily limit, keeps the type's fee and pays the rest out
// (memberfees.withdraw, once per key). The card's accounts are locked first
// (ledger.LockCardsTx), so concurrent withdrawals of a card run one after the other:
// the daily limit counts every earlier one and the balance never goes below zero.
func (s *Service) Withdraw(ctx context.Context, in WithdrawInput) (Withdrawal, error) {
	var p org.Place
	var staff uuid.UUID
	out, _, err := once.Do(ctx, s.db, once.Op[Withdrawal]{Name: "memberfees.withdraw", Key: in.IdempotencyKey, Args: in,
		Authorize: func(ctx context.Context, tx pgx.Tx) (err error) {
			p, staff, err = s.desk(ctx, tx, in.MallID, deskRoles)
			return err
		},
		Run: func(ctx context.Context, tx pgx.Tx) (Withdrawal, error) {
			c, err := cardAt(ctx, tx, p, in.CardID, false)
			if err != nil {
				return Withdrawal{}, err
			}
			if err := c.Usable(s.now()); err != nil {
				return Withdrawal{}, err
			}
			if c.Supplementary() {
				return Withdrawal{}, ErrWithdrawal.Msgf("a supplementary card holds no stored value of its own")
			}
			if _, err := s.ledger.LockCardsTx(ctx, tx, c.ID); err != nil {
				return Withdrawal{}, err
			}
			prod, err := members.CardProductOf(ctx, tx, c.CardTypeID)
			if err != nil {
				return Withdrawal{}, err
			}
			q := queries.New(tx)
			day := s.today(p)
			today, err := q.WithdrawnOn(ctx, queries.WithdrawnOnParams{GroupID: c.GroupID, CardID: c.ID, Day: day})
			if err != nil {
				return Withdrawal{}, err
			}
			fee, net, err := feerules.WithdrawalFee(feerules.Withdrawal{Allowed: prod.WithdrawalAllowed,
				FeeRate: prod.WithdrawalFeeRate, Min: prod.WithdrawalMin, Max: prod.WithdrawalMax,
				DailyLimit: prod.WithdrawalDailyLimit}, in.Amount, today)
			if err != nil {
				return Withdrawal{}, ErrWithdrawal.At("input", "amount").Msgf("%s", err.Error())
			}
			w := Withdrawal{ID: service.NewID(), CardID: c.ID, Amount: in.Amount, Fee: fee, Net: net}
			key := "mfee-withdraw:" + w.ID.String()
			legs := []ledger.Leg{{Account: ledger.Card(c.ID, ledger.CNY), Amount: in.Amount.Neg()},
				{Account: ledger.System(ledger.KindOutside, ledger.CNY), Amount: net}}
			if fee.IsPositive() {
				legs = append(legs, ledger.Leg{Account: mallAccount(KindWithdrawalFees, p.MallID), Amount: fee})
			}
			posted, err := s.ledger.PostTx(ctx, tx, ledger.Posting{GroupID: c.GroupID, Kind: PostingWithdrawal, Key: key,
				Memo: "withdrawal", Legs: legs})
			if err != nil {
				return Withdrawal{}, err
			}
			w.BalanceAfter = posted.Balances[ledger.Card(c.ID, ledger.CNY)]
			shift, err := s.tillTx(ctx, tx, p, staff, in.ShiftID, "WITHDRAWAL", w.ID.String(), net.Neg())
			if err != nil {
				return Withdrawal{}, err
			}
			err = q.InsertWithdrawal(ctx, queries.InsertWithdrawalParams{ID: w.ID, GroupID: c.GroupID, MallID: p.MallID,
				CardID: c.ID, Amount: in.Amount, Fee: fee, Net: net, Day: day, Key: key, StaffID: staff,
				ShiftID: shift, CreatedAt: s.now()})
			return w, err
		}})
	return out, err
}

// CardGroup is a group card (团体卡): a payer and its holders' cards.
type CardGroup struct {
	ID, GroupID, MallID uuid.UUID
	Name                string
	PayerCardID         *uuid.UUID
	PayerCompany        string
	HolderCardIDs       []uuid.UUID
}

// CardGroupInput creates a card group: its payer is a member's card or a company.
type CardGroupInput struct {
	MallID       uuid.UUID
	Name         string
	PayerCardID  *uuid.UUID
	PayerCompany string
}

// CreateCardGroup creates a card group at a mall; desk staff.
func (s *Service) CreateCardGroup(ctx context.Context, in CardGroupInput) (CardGroup, error) {
	in.Name, in.PayerCompany = strings.TrimSpace(in.Name), strings.TrimSpace(in.PayerCompany)
	switch {
	case in.Name == "" || len(in.Name) > 200:
		return CardGroup{}, errs.Invalid("input.name", "name must be 1 to 200 characters")
	case (in.PayerCardID == nil) == (in.PayerCompany == ""):
		return CardGroup{}, errs.Invalid("input.payerCardId", "the payer is a member's card or a company, one of them")
	case len(in.PayerCompany) > 200:
		return CardGroup{}, errs.Invalid("input.payerCompany", "company must be at most 200 characters")
	}
	var g CardGroup
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		p, _, err := s.desk(ctx, tx, in.MallID, deskRoles)
		if err != nil {
			return err
		}
		if in.PayerCardID != nil {
			c, err := cardAt(ctx, tx, p, *in.PayerCardID, false)
			if err != nil {
				return err
			}
			if err := c.Usable(s.now()); err != nil {
				return err
			}
		}
		g = CardGroup{ID: service.NewID(), GroupID: p.GroupID, MallID: p.MallID, Name: in.Name, PayerCardID: in.PayerCardID,
			PayerCompany: in.PayerCompany}
		var company *string
		if in.PayerCompany != "" {
			company = &in.PayerCompany
		}
		err = queries.New(tx).InsertCardGroup(ctx, queries.InsertCardGroupParams{ID: g.ID, GroupID: g.GroupID, MallID: g.MallID,
			Name: g.Name, PayerCardID: g.PayerCardID, PayerCompany: company, CreatedAt: s.now()})
		if storage.IsConstraint(err, "mfee_card_groups_group_id_mall_id_name_key") {
			return ErrCardGroup.At("input", "name").Msgf("a card group of this name exists at the mall")
		}
		return err
	})
	return g, err
}

// cardGroupAt reads a card group of the place's group (another group's: NOT_FOUND).
func cardGroupAt(ctx context.Context, tx pgx.Tx, p org.Place, id uuid.UUID) (CardGroup, error) {
	q := queries.New(tx)
	r, err := q.CardGroupByID(ctx, id)
	if errors.Is(storage.MapError(err), storage.ErrNotFound) || (err == nil && r.GroupID != p.GroupID) {
		return CardGroup{}, errs.ErrNotFound.Msgf("card group not found")
	}
	if err != nil {
		return CardGroup{}, err
	}
	g := CardGroup{ID: r.ID, GroupID: r.GroupID, MallID: r.MallID, Name: r.Name, PayerCardID: r.PayerCardID}
	if r.PayerCompany != nil {
		g.PayerCompany = *r.PayerCompany
	}
	g.HolderCardIDs, err = q.CardGroupHolders(ctx, r.GroupID, r.ID)
	return g, err
}

// joinGroupTx adds a card to a card group: its fees from now on are the group's.
func (s *Service) joinGroupTx(ctx context.Context, tx pgx.Tx, p org.Place, group uuid.UUID, c members.Card) error {
	if _, err := cardGroupAt(ctx, tx, p, group); err != nil {
		return err
	}
	if c.Supplementary() {
		return ErrCardGroup.Msgf("a supplementary card's fees are its primary card's")
	}
	err := queries.New(tx).AddCardGroupMember(ctx, queries.AddCardGroupMemberParams{GroupID: p.GroupID, CardGroupID: group,
		CardID: c.ID, AddedAt: s.now()})
	if storage.IsConstraint(err, "mfee_card_group_members_pkey") {
		return ErrCardGroup.Msgf("the card is in a card group already")
	}
	return err
}

// AddToCardGroup adds a holder's card to a card group; desk staff.
func (s *Service) AddToCardGroup(ctx context.Context, mall, group, card uuid.UUID) (CardGroup, error) {
	var g CardGroup
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		p, _, err := s.desk(ctx, tx, mall, deskRoles)
		if err != nil {
			return err
		}
		c, err := cardAt(ctx, tx, p, card, true)
		if err != nil {
			return err
		}
		if err := s.joinGroupTx(ctx, tx, p, group, c); err != nil {
			return err
		}
		g, err = cardGroupAt(ctx, tx, p, group)
		return err
	})
	return g, err
}

// CardGroupByID reads a card group; desk staff of a mall of its group.
func (s *Service) CardGroupByID(ctx context.Context, mall, group uuid.UUID) (CardGroup, error) {
	var g CardGroup
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		p, _, err := s.desk(ctx, tx, mall, deskRoles)
		if err != nil {
			return err
		}
		g, err = cardGroupAt(ctx, tx, p, group)
		return err
	})
	return g, err
}

// LinkInput links a card to a head card (关联卡).
type LinkInput struct {
	MallID     uuid.UUID
	HeadCardID uuid.UUID
	CardID     uuid.UUID
	Relation   string // e.g. spouse, child, parent
}

// LinkedCard is a card linked to a head, with its balances.
type LinkedCard struct {
	CardID      uuid.UUID
	Relation    string
	Points      decimal.Decimal
	StoredValue decimal.Decimal
}

// LinkedView is a head card's family view: the head's and every linked card's
// balances, and their sums.
type LinkedView struct {
	HeadCardID              uuid.UUID
	Cards                   []LinkedCard // the head first (relation "head")
	TotalPoints, TotalValue decimal.Decimal
}

// Link links a card to a head card of the same group; desk staff. A card has one head
// at most, and a head is not itself linked to another.
func (s *Service) Link(ctx context.Context, in LinkInput) (LinkedView, error) {
	in.Relation = strings.TrimSpace(in.Relation)
	if in.Relation == "" || len(in.Relation) > 50 {
		return LinkedView{}, errs.Invalid("input.relation", "relation must be 1 to 50 characters")
	}
	if in.HeadCardID == in.CardID {
		return LinkedView{}, ErrLink.Msgf("a card is not linked to itself")
	}
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		p, _, err := s.desk(ctx, tx, in.MallID, deskRoles)
		if err != nil {
			return err
		}
		head, err := cardAt(ctx, tx, p, in.HeadCardID, true)
		if err != nil {
			return err
		}
		if _, err := cardAt(ctx, tx, p, in.CardID, true); err != nil {
			return err
		}
		if head.Supplementary() {
			return ErrLink.Msgf("the head is a primary card")
		}
		q := queries.New(tx)
		if linked, err := q.IsLinked(ctx, p.GroupID, in.CardID); err != nil || linked {
			if err == nil {
				err = ErrLink.Msgf("the card is linked already")
			}
			return err
		}
		err = q.InsertLink(ctx, queries.InsertLinkParams{GroupID: p.GroupID, HeadCardID: head.ID, CardID: in.CardID,
			Relation: in.Relation, LinkedAt: s.now()})
		if storage.IsConstraint(err, "mfee_links_pkey") {
			return ErrLink.Msgf("the head card is linked to another")
		}
		return err
	})
	if err != nil {
		return LinkedView{}, err
	}
	return s.Linked(ctx, in.MallID, in.HeadCardID)
}

// Linked is a head card's family view; desk staff of a mall of its group.
func (s *Service) Linked(ctx context.Context, mall, head uuid.UUID) (LinkedView, error) {
	v := LinkedView{HeadCardID: head}
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		p, _, err := s.desk(ctx, tx, mall, deskRoles)
		if err != nil {
			return err
		}
		if _, err := cardAt(ctx, tx, p, head, false); err != nil {
			return err
		}
		links, err := queries.New(tx).LinksOfHead(ctx, p.GroupID, head)
		if err != nil {
			return err
		}
		ids := []uuid.UUID{head}
		v.Cards = []LinkedCard{{CardID: head, Relation: "head"}}
		for _, l := range links {
			ids = append(ids, l.CardID)
			v.Cards = append(v.Cards, LinkedCard{CardID: l.CardID, Relation: l.Relation})
		}
		pts, err := ledger.CardsBalanceTx(ctx, tx, ledger.Points, ids...)
		if err != nil {
			return err
		}
		cny, err := ledger.CardsBalanceTx(ctx, tx, ledger.CNY, ids...)
		if err != nil {
			return err
		}
		for i := range v.Cards {
			v.Cards[i].Points, v.Cards[i].StoredValue = pts[v.Cards[i].CardID], cny[v.Cards[i].CardID]
			v.TotalPoints, v.TotalValue = v.TotalPoints.Add(v.Cards[i].Points), v.TotalValue.Add(v.Cards[i].StoredValue)
		}
		return nil
	})
	return v, err
}
