package members

import (
	"context"
	"errors"
	"strings"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/storage"
)

// ImportUpload is where a client PUTs an import file before ImportMembersFromUpload.
type ImportUpload = PhotoUpload

var importRoles = []auth.Role{auth.RoleAdmin, auth.RoleMemberOps}

// importPrefix is the object key prefix of a mall's import files.
func importPrefix(mallID uuid.UUID) string { return "imports/" + mallID.String() + "/" }

// StartImportUpload returns a presigned URL the back office uploads a large import file
// to (instead of sending it inside the GraphQL request); ImportMembersFromUpload then
// imports it. Member operations and admin staff of the mall only.
func (s *Service) StartImportUpload(ctx context.Context, mallID uuid.UUID) (ImportUpload, error) {
	if _, err := s.requireMall(ctx, mallID, importRoles); err != nil {
		return ImportUpload{}, err
	}
	key := importPrefix(mallID) + service.NewID().String()
	url, err := s.objects.PresignPut(ctx, key, s.cfg.PhotoUploadTTL)
	if err != nil {
		return ImportUpload{}, err
	}
	return ImportUpload{Key: key, URL: url, ExpiresAt: s.now().Add(s.cfg.PhotoUploadTTL)}, nil
}

// ImportMembersFromUpload imports the file uploaded under key (from StartImportUpload
// for the same mall) as ImportMembers does, reading at most MaxImportBytes, and deletes
// the file afterwards (also when its content is refused): an upload is imported once.
func (s *Service) ImportMembersFromUpload(ctx context.Context, mallID uuid.UUID, format, key string) (ImportReport, error) {
	if _, err := s.requireMall(ctx, mallID, importRoles); err != nil {
		return ImportReport{}, err
	}
	prefix := importPrefix(mallID)
	if rest, ok := strings.CutPrefix(key, prefix); !ok || uuid.Validate(rest) != nil {
		return ImportReport{}, errs.Invalid("input.uploadKey", "not an import upload key of this mall")
	}
	obj, err := s.objects.Get(ctx, key)
	if errors.Is(err, storage.ErrObjectNotFound) {
		return ImportReport{}, errs.Invalid("input.uploadKey", "the file has not been uploaded (or was imported already)")
	}
	if err != nil {
		return ImportReport{}, err
	}
	defer obj.Close()
	rep, err := s.ImportMembers(ctx, mallID, format, obj)
	if e, ok := errs.As(err); err != nil && !(ok && e.Kind == errs.KindUser) {
		return rep, err // kept: the same upload can be imported again
	}
	// Imported, or refused for its content: the file of phone numbers is not kept.
	if delErr := s.objects.Delete(ctx, key); err == nil {
		err = delErr
	}
	return rep, err
}
