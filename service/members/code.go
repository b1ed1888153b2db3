package members

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"time"

	"github.com/google/uuid"
)

// A member code is base64url(version ‖ member id ‖ issued-at unix seconds ‖ MAC), the
// MAC being the first 16 bytes of HMAC-SHA256 over the rest: 37 bytes, 50 characters,
// small enough for a QR code a till scanner reads at a glance.
const (
	codeVersion  = 1
	codeMACLen   = 16
	codeBodyLen  = 1 + 16 + 8
	codeRawLen   = codeBodyLen + codeMACLen
	codeTextLen  = (codeRawLen*8 + 5) / 6
	codeMaxSkew  = 5 * time.Second // a code "from the future" is tolerated this much
	minCodeBytes = 32
)

// encodeCode signs a member code for id issued at.
func encodeCode(key []byte, id uuid.UUID, at time.Time) string {
	buf := make([]byte, codeBodyLen, codeRawLen)
	buf[0] = codeVersion
	copy(buf[1:17], id[:])
	binary.BigEndian.PutUint64(buf[17:], uint64(at.Unix()))
	return base64.RawURLEncoding.EncodeToString(append(buf, mac(key, buf)...))
}

// decodeCode verifies a code's signature and returns the member and issue time. It
// never looks at the clock: expiry is the caller's check.
func decodeCode(key []byte, code string) (uuid.UUID, time.Time, error) {
	if len(code) != codeTextLen {
		return uuid.Nil, time.Time{}, ErrMemberCodeInvalid
	}
	raw, err := base64.RawURLEncoding.DecodeString(code)
	if err != nil || len(raw) != codeRawLen || raw[0] != codeVersion {
		return uuid.Nil, time.Time{}, ErrMemberCodeInvalid
	}
	if !hmac.Equal(raw[codeBodyLen:], mac(key, raw[:codeBodyLen])) {
		return uuid.Nil, time.Time{}, ErrMemberCodeInvalid
	}
	id, _ := uuid.FromBytes(raw[1:17])
	secs := binary.BigEndian.Uint64(raw[17:codeBodyLen])
	if secs > 1<<40 {
		return uuid.Nil, time.Time{}, ErrMemberCodeInvalid
	}
	return id, time.Unix(int64(secs), 0), nil
}

// checkFresh accepts a code issued within ttl before now (and a little clock skew).
func checkFresh(issued, now time.Time, ttl time.Duration) error {
	switch {
	case issued.After(now.Add(codeMaxSkew)):
		return ErrMemberCodeInvalid
	case now.Sub(issued) > ttl:
		return ErrMemberCodeExpired
	}
	return nil
}

func mac(key, body []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write(body)
	return h.Sum(nil)[:codeMACLen]
}
