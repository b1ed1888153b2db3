package redemption

import (
	"bytes"
	"context"
	"errors"
	"strings"

	"github.com/atrium-mall/atrium/service/redemption/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// lookup turns what staff scanned or typed into the code it names: a token must carry a
// valid signature and match the stored code; a numeric code must pass its check digit.
func (s *Service) lookup(ctx context.Context, q queries.DBTX, raw string) (Code, error) {
	raw = strings.TrimSpace(raw)
	if looksNumeric(raw) {
		return s.lookupNumeric(ctx, q, raw)
	}
	cl, _, _, err := ParseToken(raw)
	if err != nil {
		return Code{}, err
	}
	key, err := s.key(ctx, cl.KeyID)
	if errors.Is(err, storage.ErrNotFound) {
		return Code{}, ErrCodeInvalid
	}
	if err != nil {
		return Code{}, err
	}
	if _, err := Verify(raw, key.public); err != nil {
		return Code{}, err
	}
	c, err := scanCode(queries.New(q).CodeByID(ctx, cl.CodeID))
	if errors.Is(err, storage.ErrNotFound) {
		return c, ErrCodeInvalid
	}
	if err != nil {
		return c, err
	}
	if !bytes.Equal(c.nonce, cl.Nonce[:]) || c.MemberID != cl.MemberID || c.Kind != cl.Kind {
		return c, ErrCodeInvalid
	}
	return c, nil
}

func (s *Service) lookupNumeric(ctx context.Context, q queries.DBTX, raw string) (Code, error) {
	num, err := ParseNumeric(raw)
	if err != nil {
		return Code{}, err
	}
	c, err := scanCode(queries.New(q).CodeByNumeric(ctx, num))
	if errors.Is(err, storage.ErrNotFound) {
		return c, ErrCodeInvalid
	}
	return c, err
}
