package seal

import (
	"bytes"
	"errors"
	"testing"
)

func TestSealOpen(t *testing.T) {
	key := bytes.Repeat([]byte("k"), 32)
	s, err := New(key, "signing keys")
	if err != nil {
		t.Fatal(err)
	}
	secret := []byte("a private key of sixty-four bytes, more or less, for the test..")
	sealed := s.Seal(secret, []byte("key 1"))
	if bytes.Contains(sealed, secret[:16]) {
		t.Fatal("sealed value contains the plaintext")
	}
	if again := s.Seal(secret, []byte("key 1")); bytes.Equal(again, sealed) {
		t.Fatal("two seals of one value are equal: the nonce is not random")
	}
	got, err := s.Open(sealed, []byte("key 1"))
	if err != nil || !bytes.Equal(got, secret) {
		t.Fatalf("open: %q %v", got, err)
	}

	other, _ := New(bytes.Repeat([]byte("x"), 32), "signing keys")
	purpose, _ := New(key, "something else")
	tampered := bytes.Clone(sealed)
	tampered[len(tampered)-1] ^= 1
	for name, open := range map[string]func() ([]byte, error){
		"other data key": func() ([]byte, error) { return other.Open(sealed, []byte("key 1")) },
		"other purpose":  func() ([]byte, error) { return purpose.Open(sealed, []byte("key 1")) },
		"other row":      func() ([]byte, error) { return s.Open(sealed, []byte("key 2")) },
		"tampered":       func() ([]byte, error) { return s.Open(tampered, []byte("key 1")) },
		"truncated":      func() ([]byte, error) { return s.Open(sealed[:10], []byte("key 1")) },
		"plaintext":      func() ([]byte, error) { return s.Open(secret, []byte("key 1")) },
	} {
		if _, err := open(); !errors.Is(err, ErrOpen) {
			t.Errorf("%s: err = %v, want ErrOpen", name, err)
		}
	}
	if _, err := New([]byte("short"), "x"); err == nil {
		t.Error("short data key accepted")
	}
}
