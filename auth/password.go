package auth

import (
	"errors"

	"golang.org/x/crypto/bcrypt"
)

// HashPassword hashes a password with bcrypt at cost 11.
func HashPassword(password string) (string, error) {
	if len(password) > 72 {
		return "", errors.New("auth: password longer than 72 bytes")
	}
	b, err := bcrypt.GenerateFromPassword([]byte(password), 11)
	return string(b), err
}

// CheckPassword reports whether password matches hash.
func CheckPassword(hash, password string) bool {
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil
}

// dummyHash keeps the time of a login for an unknown user close to a real check.
var dummyHash, _ = HashPassword("atrium-no-such-user")

// CheckPasswordNoUser spends the time of a password check for a user that does not exist.
func CheckPasswordNoUser(password string) { CheckPassword(dummyHash, password) }
