package redemption

import (
	"crypto/ed25519"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
)

func TestTokenRoundTrip(t *testing.T) {
	t.Parallel()
	pub, priv, _ := ed25519.GenerateKey(nil)
	c := Claims{KeyID: 7, Kind: KindBooking, CodeID: uuid.New(), MemberID: uuid.New(),
		ValidFrom: time.Unix(1_800_000_000, 0), ValidUntil: time.Unix(1_800_086_400, 0), Nonce: [8]byte{1, 2, 3}}
	tok := Sign(c, priv)
	if len(tok) != 158 {
		t.Fatalf("token has %d characters", len(tok))
	}
	got, err := Verify(tok, pub)
	if err != nil || got.CodeID != c.CodeID || got.Kind != c.Kind || !got.ValidUntil.Equal(c.ValidUntil) || got.Nonce != c.Nonce {
		t.Fatalf("verify: %+v %v", got, err)
	}
	otherPub, _, _ := ed25519.GenerateKey(nil)
	if _, err := Verify(tok, otherPub); !errors.Is(err, ErrCodeInvalid) {
		t.Fatalf("other key: %v", err)
	}
}

func TestParseNumeric(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"79927398713" + "", "", false}, // 11 digits
		{"000000000000", "000000000000", true},
		{"1234 5678 9015", "123456789015", true},
		{"1234 5678 9016", "", false},
		{"0000-0000-0018", "000000000018", true},
		{"000000000081", "", false}, // swapped neighbours of 000000000018
		{"00000000001a", "", false},
		{"", "", false},
	} {
		got, err := ParseNumeric(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseNumeric(%q) = %q, %v", tc.in, got, err)
		}
	}
	for range 100 {
		n, err := newNumeric()
		if err != nil {
			t.Fatal(err)
		}
		if got, err := ParseNumeric(n); err != nil || got != n {
			t.Fatalf("generated %q does not parse: %v", n, err)
		}
	}
}

func FuzzParseToken(f *testing.F) {
	_, priv, _ := ed25519.GenerateKey(nil)
	f.Add(Sign(Claims{KeyID: 1, Kind: KindCoupon, ValidUntil: time.Unix(1e9, 0)}, priv))
	f.Add("")
	f.Add("AQAAAAEB")
	f.Add("!!!")
	f.Fuzz(func(t *testing.T, s string) {
		c, payload, sig, err := ParseToken(s)
		if err != nil {
			if !errors.Is(err, ErrCodeInvalid) {
				t.Fatalf("error %v is not CODE_INVALID", err)
			}
			return
		}
		if len(payload) != payloadLen || len(sig) != ed25519.SignatureSize {
			t.Fatalf("bad split %d/%d", len(payload), len(sig))
		}
		if _, ok := kindByte[c.Kind]; !ok {
			t.Fatalf("unknown kind %q", c.Kind)
		}
	})
}

func FuzzParseNumeric(f *testing.F) {
	f.Add("000000000018")
	f.Add("0000 0000 0018")
	f.Add("１２３")
	f.Add("-- --")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseNumeric(s)
		if err != nil {
			if !errors.Is(err, ErrCodeInvalid) {
				t.Fatalf("error %v is not CODE_INVALID", err)
			}
			return
		}
		if len(got) != NumericLen || luhn(got[:NumericLen-1]) != int(got[NumericLen-1]-'0') {
			t.Fatalf("accepted %q as %q", s, got)
		}
	})
}
