package servicetest

import (
	"bytes"
	"image/png"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

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
