package members

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/members/internal/queries"
)

// PhotoUpload is where a client PUTs a member photo's bytes.
type PhotoUpload struct {
	Key       string
	URL       string
	ExpiresAt time.Time
}

// StartPhotoUpload returns a presigned URL the shopper's client uploads their photo to;
// SetPhoto then makes it the member's photo.
func (s *Service) StartPhotoUpload(ctx context.Context) (PhotoUpload, error) {
	id, err := access.Shopper(ctx)
	if err != nil {
		return PhotoUpload{}, err
	}
	key := "members/" + id.String() + "/photo/" + service.NewID().String()
	url, err := s.objects.PresignPut(ctx, key, s.cfg.PhotoUploadTTL)
	if err != nil {
		return PhotoUpload{}, err
	}
	return PhotoUpload{Key: key, URL: url, ExpiresAt: s.now().Add(s.cfg.PhotoUploadTTL)}, nil
}

// SetPhoto stores the key of an uploaded photo on the shopper's profile; the key must
// come from StartPhotoUpload for this member and the object must exist.
func (s *Service) SetPhoto(ctx context.Context, key string) (Member, error) {
	id, err := access.Shopper(ctx)
	if err != nil {
		return Member{}, err
	}
	prefix := "members/" + id.String() + "/photo/"
	if !strings.HasPrefix(key, prefix) || len(key) > len(prefix)+36 || strings.Contains(key[len(prefix):], "/") {
		return Member{}, errs.Invalid("input.key", "not a photo upload key of this member")
	}
	obj, err := s.objects.Get(ctx, key)
	if err != nil {
		return Member{}, errs.Invalid("input.key", "the photo has not been uploaded")
	}
	_ = obj.Close()
	if err := queries.New(s.db.Pool).SetPhoto(ctx, key, id); err != nil {
		return Member{}, fmt.Errorf("set photo: %w", err)
	}
	return loadMember(ctx, s.db.Pool, id)
}

// PhotoURL returns a short-lived download URL of the member's photo ("" without one).
func (s *Service) PhotoURL(ctx context.Context, m Member) (string, error) {
	if m.PhotoKey == "" {
		return "", nil
	}
	return s.objects.PresignGet(ctx, m.PhotoKey, 15*time.Minute)
}
