package redemption

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/skip2/go-qrcode"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/redemption/internal/queries"
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
	Status      CodeStatus
	nonce       []byte
	keyID       uint32
}

// codeOf turns a stored code into a Code (without its token).
func codeOf(r queries.RedemptionCode) Code {
	return Code{ID: r.ID, Kind: Kind(r.Kind), SubjectID: r.SubjectID, MemberID: r.MemberID, MallID: r.MallID,
		MerchantIDs: r.MerchantIds, Numeric: r.NumericCode, nonce: r.Nonce, keyID: uint32(r.KeyID),
		ValidFrom: r.ValidFrom, ValidUntil: r.ValidUntil, Status: CodeStatus(r.Status)}
}

// scanCode maps one code read (storage.ErrNotFound when there is none).
func scanCode(r queries.RedemptionCode, err error) (Code, error) {
	if err != nil {
		return Code{}, storage.MapError(err)
	}
	return codeOf(r), nil
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
		c, err := scanCode(queries.New(tx).InsertCode(ctx, queries.InsertCodeParams{ID: service.NewID(),
			Kind: string(in.Kind), SubjectID: in.SubjectID, MemberID: in.MemberID, MallID: in.MallID,
			MerchantIds: in.MerchantIDs, NumericCode: numeric, Nonce: nonce, KeyID: int32(key.id),
			ValidFrom: in.ValidFrom.Truncate(time.Second), ValidUntil: in.ValidUntil.Truncate(time.Second)}))
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

// QueuedCode is a code IssueTx queued in a caller's batch (QueueIssueTx).
type QueuedCode struct {
	s        *Service
	in       IssueInput
	code     Code
	key      signingKey
	inserted bool
}

// QueueIssueTx is IssueTx queued in the caller's batch b, for a caller that sends more
// statements in the same round trip: send b, then take the code from Code. Only the
// active key's id may need a read first (at most once a second, activeKey).
func (s *Service) QueueIssueTx(ctx context.Context, tx storage.Querier, b *storage.Batch, in IssueInput) (*QueuedCode, error) {
	key, err := s.activeKey(ctx, tx)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, 8)
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	numeric, err := newNumeric()
	if err != nil {
		return nil, err
	}
	if in.MerchantIDs == nil {
		in.MerchantIDs = []uuid.UUID{}
	}
	q := &QueuedCode{s: s, in: in, key: key, code: Code{ID: service.NewID(), Kind: in.Kind, SubjectID: in.SubjectID,
		MemberID: in.MemberID, MallID: in.MallID, MerchantIDs: in.MerchantIDs, Numeric: numeric,
		ValidFrom: in.ValidFrom.Truncate(time.Second), ValidUntil: in.ValidUntil.Truncate(time.Second), Status: CodeIssued,
		nonce: nonce, keyID: key.id}}
	b.Queue(func(dbtx storage.Querier) {
		_, _ = queries.New(dbtx).InsertCode(ctx, queries.InsertCodeParams{ID: q.code.ID, Kind: string(in.Kind),
			SubjectID: in.SubjectID, MemberID: in.MemberID, MallID: in.MallID, MerchantIds: in.MerchantIDs,
			NumericCode: numeric, Nonce: nonce, KeyID: int32(key.id), ValidFrom: q.code.ValidFrom, ValidUntil: q.code.ValidUntil})
	}).Exec(func(tag pgconn.CommandTag) error {
		q.inserted = tag.RowsAffected() == 1
		return nil
	})
	q.code.Token = Sign(q.code.claims(), key.private)
	return q, nil
}

// QueueMustInsert queues in b, after the code, a statement that fails unless the code
// was written (its numeric code was free), for a batch that is one implicit
// transaction and must then write nothing.
func (q *QueuedCode) QueueMustInsert(ctx context.Context, b *storage.Batch) {
	b.Queue(func(dbtx storage.Querier) { _ = queries.New(dbtx).MustHaveCode(ctx, q.code.ID) })
}

// Expected is the code as it is once its batch is sent, unless its numeric code was
// taken meanwhile (then Code draws another).
func (q *QueuedCode) Expected() Code { return q.code }

// Code is the code issued once the batch was sent: the queued one, or (its numeric code
// taken by a live code meanwhile) one issued by IssueTx in tx.
func (q *QueuedCode) Code(ctx context.Context, tx pgx.Tx) (Code, error) {
	if q.inserted {
		return q.code, nil
	}
	return q.s.IssueTx(ctx, tx, q.in)
}

func (c Code) claims() Claims {
	cl := Claims{KeyID: c.keyID, Kind: c.Kind, CodeID: c.ID, MemberID: c.MemberID,
		ValidFrom: c.ValidFrom, ValidUntil: c.ValidUntil}
	copy(cl.Nonce[:], c.nonce)
	return cl
}

// CodeOf returns the code of a coupon or booking with its token (for its owner's screen).
func (s *Service) CodeOf(ctx context.Context, kind Kind, subjectID uuid.UUID) (Code, error) {
	c, err := scanCode(queries.New(s.db.Pool).CodeOf(ctx, string(kind), subjectID))
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
	out, err := s.UnsignedCodesOf(ctx, kind, subjectIDs)
	if err != nil {
		return nil, err
	}
	for id, c := range out {
		if c.Token, err = s.Token(ctx, c); err != nil {
			return nil, err
		}
		out[id] = c
	}
	return out, nil
}

// UnsignedCodesOf is CodesOf without the tokens, in one read: a list that may never
// show its QR codes signs each one only when asked (Token).
func (s *Service) UnsignedCodesOf(ctx context.Context, kind Kind, subjectIDs []uuid.UUID) (map[uuid.UUID]Code, error) {
	list, err := queries.New(s.db.Pool).CodesOf(ctx, string(kind), subjectIDs)
	if err != nil {
		return nil, err
	}
	out := make(map[uuid.UUID]Code, len(list))
	for _, r := range list {
		c := codeOf(r)
		out[c.SubjectID] = c
	}
	return out, nil
}

// Token returns c's signed token (the QR content): c.Token when it has one, else
// signed now with the code's key (cached after its first read). A code's token never
// changes (its claims are fixed and Ed25519 signatures deterministic).
func (s *Service) Token(ctx context.Context, c Code) (string, error) {
	if c.Token != "" {
		return c.Token, nil
	}
	if c.ID == uuid.Nil {
		return "", nil
	}
	key, err := s.key(ctx, c.keyID)
	if err != nil {
		return "", err
	}
	return Sign(c.claims(), key.private), nil
}

// QRPNG renders the code's token as a QR code PNG of size pixels.
func QRPNG(token string, size int) ([]byte, error) {
	return qrcode.Encode(token, qrcode.Medium, size)
}

// SetStatusTx moves the code of a coupon or booking to status (redeemed when a
// purchase consumes the coupon, issued when a refund gives it back, revoked when a
// booking is cancelled or missed) and publishes it in the change feed. A code already
// in status, or a subject without a code, is left alone; a move the code's transition
// table does not allow is ErrCodeTransition.
func (s *Service) SetStatusTx(ctx context.Context, tx pgx.Tx, kind Kind, subjectID uuid.UUID, status CodeStatus) error {
	event, ok := eventTo[status]
	if !ok {
		return ErrCodeTransition.Msgf("unknown code status %q", status)
	}
	q := queries.New(tx)
	n, err := q.MoveSubjectCode(ctx, queries.MoveSubjectCodeParams{Status: string(status), Kind: string(kind),
		SubjectID: subjectID, FromStatuses: codeStates.From(event)})
	if err != nil || n > 0 {
		return err
	}
	from, err := q.SubjectCodeStatus(ctx, string(kind), subjectID)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && CodeStatus(from) == status) {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = codeStates.Next(event, CodeStatus(from))
	return err
}

// SetStatusManyTx is SetStatusTx for many subjects of one kind, in one statement for
// all whose code may move; the rest (no code, already there, or a transition the code
// table refuses) go through SetStatusTx one by one, with its answers.
func (s *Service) SetStatusManyTx(ctx context.Context, tx pgx.Tx, kind Kind, subjectIDs []uuid.UUID, status CodeStatus) error {
	event, ok := eventTo[status]
	if !ok {
		return ErrCodeTransition.Msgf("unknown code status %q", status)
	}
	if len(subjectIDs) == 0 {
		return nil
	}
	moved, err := queries.New(tx).MoveSubjectCodes(ctx, queries.MoveSubjectCodesParams{Status: string(status),
		Kind: string(kind), SubjectIds: subjectIDs, FromStatuses: codeStates.From(event)})
	if err != nil || len(moved) == len(subjectIDs) {
		return err
	}
	done := make(map[uuid.UUID]bool, len(moved))
	for _, id := range moved {
		done[id] = true
	}
	for _, id := range subjectIDs {
		if !done[id] {
			if err := s.SetStatusTx(ctx, tx, kind, id, status); err != nil {
				return err
			}
		}
	}
	return nil
}

// moveCode fires event on code id, expected in status from; it reports whether the
// code moved (false: another transaction moved it first).
func moveCode(ctx context.Context, tx pgx.Tx, id uuid.UUID, event CodeEvent, from CodeStatus) (bool, error) {
	to, err := codeStates.Next(event, from)
	if err != nil {
		return false, err
	}
	n, err := queries.New(tx).MoveCode(ctx, queries.MoveCodeParams{Status: string(to), ID: id,
		FromStatuses: []string{string(from)}})
	return n > 0, err
}
