// Package qrtest reads the QR codes Atrium renders, for tests. gozxing misses about 1
// in 60 of them (the same with more pixels per module, a wider quiet zone or
// TRY_HARDER), so where it fails Text accepts an image byte-identical to the
// deterministic rendering (go-qrcode, medium correction) of the text the test expects.
package qrtest

import (
	"bytes"
	"image/png"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	goqr "github.com/skip2/go-qrcode"
)

// Text returns the text of the QR code in a PNG image; want is the text the test
// expects (used only when the decoder cannot read the image).
func Text(t testing.TB, image []byte, want string) string {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(image))
	if err != nil {
		t.Fatalf("qr png: %v", err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err == nil {
		res, derr := qrcode.NewQRCodeReader().Decode(bmp, nil)
		if derr == nil {
			return res.GetText()
		}
		err = derr
	}
	if again, rerr := goqr.Encode(want, goqr.Medium, img.Bounds().Dx()); rerr == nil && bytes.Equal(again, image) {
		return want
	}
	t.Fatalf("decode QR: %v", err)
	return ""
}
