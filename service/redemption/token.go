package redemption

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/binary"
	"time"

	"github.com/google/uuid"
)

// Kind is what a code redeems.
type Kind string

// The kinds of redeemable things.
const (
	KindCoupon  Kind = "coupon"
	KindBooking Kind = "booking"
)

var kindByte = map[Kind]byte{KindCoupon: 1, KindBooking: 2}

func kindOf(b byte) (Kind, bool) {
	for k, v := range kindByte {
		if v == b {
			return k, true
		}
	}
	return "", false
}

const (
	tokenVersion = 1
	payloadLen   = 1 + 4 + 1 + 16 + 16 + 4 + 4 + 8
	tokenLen     = payloadLen + ed25519.SignatureSize
)

// Claims is what a redemption token says, signed with Ed25519. Encoded in 118 bytes
// (158 base64url characters), it fits a version-7 QR code at medium error correction.
//
// Layout: version(1) keyID(4) kind(1) codeID(16) memberID(16) validFrom(4, unix s)
// validUntil(4, unix s) nonce(8) signature(64).
type Claims struct {
	KeyID      uint32
	Kind       Kind
	CodeID     uuid.UUID
	MemberID   uuid.UUID
	ValidFrom  time.Time
	ValidUntil time.Time
	Nonce      [8]byte
}

func (c Claims) payload() []byte {
	b := make([]byte, 0, payloadLen)
	b = append(b, tokenVersion)
	b = binary.BigEndian.AppendUint32(b, c.KeyID)
	b = append(b, kindByte[c.Kind])
	b = append(b, c.CodeID[:]...)
	b = append(b, c.MemberID[:]...)
	b = binary.BigEndian.AppendUint32(b, uint32(c.ValidFrom.Unix()))
	b = binary.BigEndian.AppendUint32(b, uint32(c.ValidUntil.Unix()))
	return append(b, c.Nonce[:]...)
}

// Sign returns the token for c signed with key.
func Sign(c Claims, key ed25519.PrivateKey) string {
	p := c.payload()
	return base64.RawURLEncoding.EncodeToString(append(p, ed25519.Sign(key, p)...))
}

// ParseToken decodes a token without checking its signature; it returns the claims,
// the signed payload and the signature. Any malformed input is ErrCodeInvalid.
func ParseToken(token string) (Claims, []byte, []byte, error) {
	var c Claims
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) != tokenLen || raw[0] != tokenVersion {
		return c, nil, nil, ErrCodeInvalid
	}
	kind, ok := kindOf(raw[5])
	if !ok {
		return c, nil, nil, ErrCodeInvalid
	}
	c.KeyID = binary.BigEndian.Uint32(raw[1:5])
	c.Kind = kind
	copy(c.CodeID[:], raw[6:22])
	copy(c.MemberID[:], raw[22:38])
	c.ValidFrom = time.Unix(int64(binary.BigEndian.Uint32(raw[38:42])), 0)
	c.ValidUntil = time.Unix(int64(binary.BigEndian.Uint32(raw[42:46])), 0)
	copy(c.Nonce[:], raw[46:54])
	return c, raw[:payloadLen], raw[payloadLen:], nil
}

// Verify decodes token and checks its signature with pub.
func Verify(token string, pub ed25519.PublicKey) (Claims, error) {
	c, payload, sig, err := ParseToken(token)
	if err != nil {
		return c, err
	}
	if len(pub) != ed25519.PublicKeySize || !ed25519.Verify(pub, payload, sig) {
		return c, ErrCodeInvalid
	}
	return c, nil
}
