package auth

import (
	"errors"
	"sync"

	"golang.org/x/crypto/bcrypt"
)

// DefaultPasswordCost is the bcrypt cost for production.
const DefaultPasswordCost = 11

// Passwords hashes and checks passwords with bcrypt at a configured cost (tests use
// bcrypt.MinCost so that the race detector does not make every login take seconds).
type Passwords struct {
	Cost int

	once  sync.Once
	dummy []byte
}

// NewPasswords returns a hasher at cost (DefaultPasswordCost when 0).
func NewPasswords(cost int) *Passwords {
	if cost == 0 {
		cost = DefaultPasswordCost
	}
	return &Passwords{Cost: cost}
}

// Hash hashes a password.
func (p *Passwords) Hash(password string) (string, error) {
	if len(password) > 72 {
		return "", errors.New("auth: password longer than 72 bytes")
	}
	b, err := bcrypt.GenerateFromPassword([]byte(password), p.Cost)
	return string(b), err
}

// Check reports whether password matches hash.
func (p *Passwords) Check(hash, password string) bool {
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil
}

// CheckNoUser spends the time of a check for a user that does not exist, so response
// times do not tell which usernames exist.
func (p *Passwords) CheckNoUser(password string) {
	p.once.Do(func() { p.dummy, _ = bcrypt.GenerateFromPassword([]byte("atrium-no-such-user"), p.Cost) })
	_ = bcrypt.CompareHashAndPassword(p.dummy, []byte(password))
}

// HashPassword hashes at the default cost (for callers without a configured hasher).
func HashPassword(password string) (string, error) { return NewPasswords(0).Hash(password) }

// CheckPassword reports whether password matches hash.
func CheckPassword(hash, password string) bool {
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil
}

// CheckPasswordNoUser spends the time of a default-cost check for a user that does not exist.
func CheckPasswordNoUser(password string) { defaultPasswords.CheckNoUser(password) }

var defaultPasswords = NewPasswords(0) // lazily builds its dummy hash; holds no request state
