// Package seal encrypts small secrets that Atrium keeps in its database (redemption
// signing keys) under a key that is not in the database (config's data key), with
// AES-256-GCM. Each purpose gets its own key, derived from the data key with HKDF, and
// every sealed value is bound to what it belongs to (associated data, e.g. its row id),
// so a sealed value copied to another row does not open.
package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
)

// ErrOpen is returned for a sealed value that does not open: another data key, another
// row, or altered bytes.
var ErrOpen = errors.New("seal: the value does not open with this key")

// version prefixes every sealed value, so the format can change later.
const version = 1

// Sealer seals and opens values for one purpose.
type Sealer struct {
	aead cipher.AEAD
}

// New returns a Sealer for purpose (e.g. "redemption signing keys") under dataKey (at
// least 32 bytes).
func New(dataKey []byte, purpose string) (*Sealer, error) {
	if len(dataKey) < 32 {
		return nil, fmt.Errorf("seal: the data key must be at least 32 bytes, got %d", len(dataKey))
	}
	key, err := hkdf.Key(sha256.New, dataKey, nil, "atrium seal v1: "+purpose, 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead}, nil
}

// Seal encrypts plaintext bound to ad: version byte, random nonce, ciphertext and tag.
func (s *Sealer) Seal(plaintext, ad []byte) []byte {
	out := make([]byte, 1+s.aead.NonceSize(), 1+s.aead.NonceSize()+len(plaintext)+s.aead.Overhead())
	out[0] = version
	if _, err := rand.Read(out[1:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return s.aead.Seal(out, out[1:], plaintext, ad)
}

// Open decrypts a value Seal made with the same ad.
func (s *Sealer) Open(sealed, ad []byte) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(sealed) < 1+n+s.aead.Overhead() || sealed[0] != version {
		return nil, ErrOpen
	}
	out, err := s.aead.Open(nil, sealed[1:1+n], sealed[1+n:], ad)
	if err != nil {
		return nil, ErrOpen
	}
	return out, nil
}
