package auth

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// Token errors.
var (
	ErrTokenInvalid = errors.New("auth: access token invalid")
	ErrTokenExpired = errors.New("auth: access token expired")
)

const issuer = "atrium"

// Audience returns the token audience for a viewer kind.
func Audience(k Kind) string { return "atrium-" + string(k) }

// Claims are the access token's claims.
type Claims struct {
	jwt.RegisteredClaims
	Kind      Kind   `json:"knd"`
	SessionID string `json:"sid"`
}

// Tokens issues and verifies short-lived HS256 access tokens.
type Tokens struct {
	key []byte
	ttl time.Duration
	now func() time.Time
}

// NewTokens signs with key; tokens live for ttl; now is the clock.
func NewTokens(key []byte, ttl time.Duration, now func() time.Time) *Tokens {
	return &Tokens{key: key, ttl: ttl, now: now}
}

// Issue signs a token for the subject of kind in session sid.
func (t *Tokens) Issue(kind Kind, subject uuid.UUID, sid string) (string, time.Time, error) {
	now := t.now()
	exp := now.Add(t.ttl)
	claims := Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    issuer,
			Subject:   subject.String(),
			Audience:  jwt.ClaimStrings{Audience(kind)},
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now.Add(-30 * time.Second)),
			ExpiresAt: jwt.NewNumericDate(exp),
			ID:        uuid.NewString(),
		},
		Kind:      kind,
		SessionID: sid,
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(t.key)
	return s, exp, err
}

// Verify checks the signature (HS256 only: "none" and every other algorithm are
// refused), issuer, expiry, and that the audience matches the token's kind.
func (t *Tokens) Verify(token string) (Claims, error) {
	var c Claims
	parser := jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(issuer),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithTimeFunc(t.now),
	)
	_, err := parser.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return t.key, nil })
	if errors.Is(err, jwt.ErrTokenExpired) {
		return c, ErrTokenExpired
	}
	if err != nil {
		return c, fmt.Errorf("%w: %v", ErrTokenInvalid, err)
	}
	if c.Kind != KindShopper && c.Kind != KindStaff {
		return c, fmt.Errorf("%w: unknown kind %q", ErrTokenInvalid, c.Kind)
	}
	if !slices.Equal(c.Audience, jwt.ClaimStrings{Audience(c.Kind)}) {
		return c, fmt.Errorf("%w: audience %v does not match kind %s", ErrTokenInvalid, c.Audience, c.Kind)
	}
	if _, err := uuid.Parse(c.Subject); err != nil || c.SessionID == "" {
		return c, fmt.Errorf("%w: subject or session missing", ErrTokenInvalid)
	}
	return c, nil
}
