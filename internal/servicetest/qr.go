package servicetest

import (
	"bytes"
	"image/png"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/atrium-mall/atrium/service/redemption"
)

// QRHolds reports whether the PNG image is the QR code of want: decoded, or, where the
// decoder fails (gozxing misses about 1 in 60 of these codes), byte-identical to the
// deterministic rendering of want at the image's size.
func QRHolds(t testing.TB, image []byte, want string) bool {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(image))
	if err != nil {
		t.Fatalf("qr png: %v", err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err == nil {
		if res, err := qrcode.NewQRCodeReader().Decode(bmp, nil); err == nil {
			return res.GetText() == want
		}
	}
	again, err := redemption.QRPNG(want, img.Bounds().Dx())
	return err == nil && bytes.Equal(again, image)
}

// DecodeQR reads the text of the QR code in a PNG image.
func DecodeQR(t testing.TB, image []byte) string {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(image))
	var bmp *gozxing.BinaryBitmap
	if err == nil {
		bmp, err = gozxing.NewBinaryBitmapFromImage(img)
	}
	var res *gozxing.Result
	if err == nil {
		res, err = qrcode.NewQRCodeReader().Decode(bmp, nil)
	}
	if err != nil {
		t.Fatalf("decode QR: %v", err)
	}
	return res.GetText()
}
