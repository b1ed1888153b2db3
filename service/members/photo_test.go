package members

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/storage/storetest"
)

func TestPhotoUploadThroughPresignedURL(t *testing.T) {
	f := setup(t)
	d := f.deps
	d.Objects = storetest.S3(t)
	svc := New(d)
	ctx, id := f.shopper()
	up, err := svc.StartPhotoUpload(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SetPhoto(ctx, up.Key); !errors.Is(err, errs.ErrInvalid) {
		t.Fatalf("photo not uploaded yet: %v", err)
	}
	req, _ := http.NewRequest(http.MethodPut, up.URL, strings.NewReader("JPEG-BYTES"))
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("PUT: %v %v", res, err)
	}
	res.Body.Close()
	m, err := svc.SetPhoto(ctx, up.Key)
	if err != nil || m.PhotoKey != up.Key || m.ID != id {
		t.Fatalf("set photo: %+v %v", m, err)
	}
	url, err := svc.PhotoURL(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	res, err = http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if string(body) != "JPEG-BYTES" {
		t.Fatalf("GET photo = %q", body)
	}
	other, _ := f.shopper()
	if _, err := svc.SetPhoto(other, up.Key); !errors.Is(err, errs.ErrInvalid) {
		t.Fatalf("another member's key: %v", err)
	}
	if _, err := svc.SetPhoto(ctx, up.Key+"/../x"); !errors.Is(err, errs.ErrInvalid) {
		t.Fatalf("crafted key: %v", err)
	}
	if _, err := svc.StartPhotoUpload(f.deskA); !errors.Is(err, errs.ErrForbidden) {
		t.Fatalf("staff: %v", err)
	}
}
