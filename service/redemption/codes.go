package redemption

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/skip2/go-qrcode"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/storage"
)

// IssueInput describes the code to issue for a coupon or booking.
type IssueInput struct {
	Kind        Kind
	SubjectID   uuid.UUID
	MemberID    uuid.UUID
	MallID      uuid.UUID
	MerchantIDs []uuid.UUID // empty: valid at every merchant of the mall
	ValidFrom   time.Time
	ValidUntil  time.Time
}

// Code is an issued redemption code with both of its forms.
type Code struct {
	ID          uuid.UUID
	Kind        Kind
	SubjectID   uuid.UUID
	MemberID    uuid.UUID
	MallID      uuid.UUID
	MerchantIDs []uuid.UUID
	Numeric     string // 12 digits, for manual entry
	Token       string // signed token, the QR content
	ValidFrom   time.Time
	ValidUntil  time.Time
	Status      string // issued | redeemed | revoked
	nonce       []byte
	keyID       uint32
}

const codeCols = `id, kind, subject_id, member_id, mall_id, merchant_ids, numeric_code, nonce, key_id,
	valid_from, valid_until, status`

func scanCode(row pgx.Row) (Code, error) {
	var c Code
	err := row.Scan(&c.ID, &c.Kind, &c.SubjectID, &c.MemberID, &c.MallID, &c.MerchantIDs, &c.Numeric,
		&c.nonce, &c.keyID, &c.ValidFrom, &c.ValidUntil, &c.Status)
	return c, storage.MapError(err)
}

// IssueTx issues the code of a coupon or booking inside the caller's transaction.
// Validity is kept to whole seconds, as the token carries it.
func (s *Service) IssueTx(ctx context.Context, tx pgx.Tx, in IssueInput) (Code, error) {
	key, err := s.activeKey(ctx, tx)
	if err != nil {
		return Code{}, err
	}
	nonce := make([]byte, 8)
	if _, err := rand.Read(nonce); err != nil {
		return Code{}, err
	}
	if in.MerchantIDs == nil {
		in.MerchantIDs = []uuid.UUID{}
	}
	for range 8 {
		numeric, err := newNumeric()
		if err != nil {
			return Code{}, err
		}
		c, err := scanCode(tx.QueryRow(ctx, `INSERT INTO redemption_codes (id, kind, subject_id, member_id, mall_id,
			merchant_ids, numeric_code, nonce, key_id, valid_from, valid_until)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
			ON CONFLICT (numeric_code) WHERE status IN ('issued', 'redeemed') DO NOTHING
			RETURNING `+codeCols, service.NewID(), in.Kind, in.SubjectID, in.MemberID, in.MallID, in.MerchantIDs,
			numeric, nonce, key.id, in.ValidFrom.Truncate(time.Second), in.ValidUntil.Truncate(time.Second)))
		if errors.Is(err, storage.ErrNotFound) {
			continue // numeric code taken by a live code: draw again
		}
		if err != nil {
			return Code{}, err
		}
		c.Token = Sign(c.claims(), key.private)
		return c, nil
	}
	return Code{}, fmt.Errorf("redemption: no free numeric code after 8 draws")
}

func (c Code) claims() Claims {
	cl := Claims{KeyID: c.keyID, Kind: c.Kind, CodeID: c.ID, MemberID: c.MemberID,
		ValidFrom: c.ValidFrom, ValidUntil: c.ValidUntil}
	copy(cl.Nonce[:], c.nonce)
	return cl
}

// CodeOf returns the code of a coupon or booking with its token (for its owner's screen).
func (s *Service) CodeOf(ctx context.Context, kind Kind, subjectID uuid.UUID) (Code, error) {
	c, err := scanCode(s.db.Pool.QueryRow(ctx, `SELECT `+codeCols+` FROM redemption_codes
		WHERE kind = $1 AND subject_id = $2`, kind, subjectID))
	if err != nil {
		return c, err
	}
	key, err := s.key(ctx, c.keyID)
	if err != nil {
		return c, err
	}
	c.Token = Sign(c.claims(), key.private)
	return c, nil
}

// CodesOf returns the codes of many subjects of kind, by subject id, with their tokens
// (one query; subjects without a code are absent).
func (s *Service) CodesOf(ctx context.Context, kind Kind, subjectIDs []uuid.UUID) (map[uuid.UUID]Code, error) {
	rows, err := s.db.Pool.Query(ctx, `SELECT `+codeCols+` FROM redemption_codes
		WHERE kind = $1 AND subject_id = ANY($2)`, kind, subjectIDs)
	if err != nil {
		return nil, err
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Code, error) { return scanCode(r) })
	if err != nil {
		return nil, err
	}
	out := make(map[uuid.UUID]Code, len(list))
	for _, c := range list {
		key, err := s.key(ctx, c.keyID)
		if err != nil {
			return nil, err
		}
		c.Token = Sign(c.claims(), key.private)
		out[c.SubjectID] = c
	}
	return out, nil
}

// QRPNG renders the code's token as a QR code PNG of size pixels.
func QRPNG(token string, size int) ([]byte, error) {
	return qrcode.Encode(token, qrcode.Medium, size)
}

// SetStatusTx changes a code's status (e.g. revoked when a booking is cancelled, or
// redeemed when a coupon is consumed by a purchase) and publishes it in the change feed.
func (s *Service) SetStatusTx(ctx context.Context, tx pgx.Tx, kind Kind, subjectID uuid.UUID, status string) error {
	_, err := tx.Exec(ctx, `UPDATE redemption_codes SET status = $3, change_seq = -1
		WHERE kind = $1 AND subject_id = $2 AND status <> $3`, kind, subjectID, status)
	return storage.MapError(err)
}
