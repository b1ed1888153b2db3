package sales

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/storage"
)

// ImportUpload is where a client PUTs a large sales file before ImportFromUpload.
type ImportUpload struct {
	Key       string
	URL       string
	ExpiresAt time.Time
}

// uploadTTL is how long an upload URL stays valid.
const uploadTTL = 15 * time.Minute

// uploadPrefix is the object key prefix of one import scope's files: a merchant's, or
// a mall's (for many merchants), so a key only imports into the scope it was made for.
func uploadPrefix(in ImportInput) string {
	if in.MerchantID != uuid.Nil {
		return "sales-imports/merchant/" + in.MerchantID.String() + "/"
	}
	return "sales-imports/mall/" + in.MallID.String() + "/"
}

// StartImportUpload returns a presigned URL to PUT a large sales file to (instead of
// sending it inside the GraphQL request); ImportFromUpload then imports it. Who may
// import into the scope (a merchant's or a mall's) may start an upload for it.
func (s *Service) StartImportUpload(ctx context.Context, in ImportInput) (ImportUpload, error) {
	if _, _, err := s.importScope(ctx, in); err != nil {
		return ImportUpload{}, err
	}
	key := uploadPrefix(in) + service.NewID().String()
	url, err := s.objects.PresignPut(ctx, key, uploadTTL)
	if err != nil {
		return ImportUpload{}, err
	}
	return ImportUpload{Key: key, URL: url, ExpiresAt: s.now().Add(uploadTTL)}, nil
}

// ImportFromUpload imports the file uploaded under key (from StartImportUpload for the
// same scope) as Import does, and deletes it afterwards (also when its content is
// refused): an upload is imported once.
func (s *Service) ImportFromUpload(ctx context.Context, in ImportInput, key string) (ImportReport, error) {
	if _, _, err := s.importScope(ctx, in); err != nil {
		return ImportReport{}, err
	}
	if rest, ok := strings.CutPrefix(key, uploadPrefix(in)); !ok || uuid.Validate(rest) != nil {
		return ImportReport{}, errs.Invalid("input.uploadKey", "not a sales upload key of this merchant or mall")
	}
	obj, err := s.objects.Get(ctx, key)
	if errors.Is(err, storage.ErrObjectNotFound) {
		return ImportReport{}, errs.Invalid("input.uploadKey", "the file has not been uploaded (or was imported already)")
	}
	if err != nil {
		return ImportReport{}, err
	}
	defer obj.Close()
	rep, err := s.Import(ctx, in, obj)
	if e, ok := errs.As(err); err != nil && !(ok && e.Kind == errs.KindUser) {
		return rep, err // kept: the same upload can be imported again
	}
	if delErr := s.objects.Delete(ctx, key); err == nil {
		err = delErr
	}
	return rep, err
}
