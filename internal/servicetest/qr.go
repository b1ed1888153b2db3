package servicetest

import (
	"testing"

	"github.com/atrium-mall/atrium/service/qrtest"
)

// QRHolds reports whether the PNG image is the QR code of want (qrtest.Text).
func QRHolds(t testing.TB, image []byte, want string) bool {
	t.Helper()
	return qrtest.Text(t, image, want) == want
}
