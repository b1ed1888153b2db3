package brands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/brands/internal/queries"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/storage"
)

// Limits of an attachment.
const (
	MaxAttachmentBytes = 20 << 20 // 20 MiB
	uploadTTL          = 15 * time.Minute
)

// attachmentTypes are the content types a brand file may have: what a leasing team
// keeps (decks and licences as PDF, shop photos).
var attachmentTypes = map[string]bool{"application/pdf": true, "image/jpeg": true, "image/png": true}

// Errors of attachments.
var (
	ErrNotUploaded = errs.New(errs.KindUser, "ATTACHMENT_NOT_UPLOADED",
		"no file was uploaded under this key (or the upload expired)")
	ErrAttachmentTooLarge = errs.New(errs.KindUser, "ATTACHMENT_TOO_LARGE",
		fmt.Sprintf("a brand file is at most %d MiB", MaxAttachmentBytes>>20))
	ErrAttachmentType = errs.New(errs.KindUser, "ATTACHMENT_TYPE", "a brand file is a PDF, JPEG or PNG")
)

// attachmentPrefix is the object key prefix of a brand's files.
func attachmentPrefix(b Brand) string {
	return "brands/" + b.GroupID.String() + "/" + b.ID.String() + "/"
}

// RequestAttachmentUpload returns a presigned URL a client PUTs a file of the declared
// type and size to; AttachFile then attaches it (leasing staff or an admin in the
// brand's group).
func (s *Service) RequestAttachmentUpload(ctx context.Context, brandID uuid.UUID, contentType string, size int64) (Upload, error) {
	b, err := s.brandFor(ctx, brandID, prepareRoles)
	if err != nil {
		return Upload{}, err
	}
	if !attachmentTypes[contentType] {
		return Upload{}, ErrAttachmentType.At("input", "contentType")
	}
	if size <= 0 || size > MaxAttachmentBytes {
		return Upload{}, ErrAttachmentTooLarge.At("input", "size")
	}
	key := attachmentPrefix(b) + service.NewID().String()
	url, err := s.objects.PresignPut(ctx, key, uploadTTL)
	if err != nil {
		return Upload{}, err
	}
	return Upload{Key: key, URL: url, ExpiresAt: s.now().Add(uploadTTL)}, nil
}

// AttachFile attaches the file uploaded under key (from RequestAttachmentUpload for
// this brand) with its display name. The object must exist (ATTACHMENT_NOT_UPLOADED),
// be at most MaxAttachmentBytes (ATTACHMENT_TOO_LARGE) and sniff as an allowed type
// (ATTACHMENT_TYPE); a refused object is deleted.
func (s *Service) AttachFile(ctx context.Context, brandID uuid.UUID, key, filename string) (Attachment, error) {
	b, err := s.brandFor(ctx, brandID, prepareRoles)
	if err != nil {
		return Attachment{}, err
	}
	if rest, ok := strings.CutPrefix(key, attachmentPrefix(b)); !ok || uuid.Validate(rest) != nil {
		return Attachment{}, errs.Invalid("input.key", "not an upload key of this brand")
	}
	filename = strings.TrimSpace(filename)
	if filename == "" || utf8.RuneCountInString(filename) > 200 || strings.ContainsAny(filename, "/\\") {
		return Attachment{}, errs.Invalid("input.filename", "a file name is 1-200 characters without slashes")
	}
	a := Attachment{ID: service.NewID(), BrandID: b.ID, Key: key, Filename: filename, CreatedAt: s.now()}
	if a.ContentType, a.Size, err = s.inspect(ctx, key); err != nil {
		return Attachment{}, err
	}
	err = queries.New(s.db.Pool).InsertAttachment(ctx, queries.InsertAttachmentParams{ID: a.ID, GroupID: b.GroupID,
		BrandID: b.ID, ObjectKey: key, Filename: filename, ContentType: a.ContentType, SizeBytes: a.Size, CreatedAt: a.CreatedAt})
	if errors.Is(storage.MapError(err), storage.ErrConflict) {
		return Attachment{}, errs.Invalid("input.key", "this file is attached already")
	}
	return a, err
}

// inspect reads the object under key: its sniffed content type and size, refusing (and
// deleting) one too large or of another type.
func (s *Service) inspect(ctx context.Context, key string) (string, int64, error) {
	obj, err := s.objects.Get(ctx, key)
	if errors.Is(err, storage.ErrObjectNotFound) {
		return "", 0, ErrNotUploaded.At("input", "key")
	}
	if err != nil {
		return "", 0, err
	}
	defer obj.Close()
	head := make([]byte, 512)
	n, err := io.ReadFull(obj, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return "", 0, err
	}
	rest, err := io.Copy(io.Discard, io.LimitReader(obj, MaxAttachmentBytes))
	if err != nil {
		return "", 0, err
	}
	size, ctype := int64(n)+rest, strings.TrimSuffix(strings.Split(http.DetectContentType(head[:n]), ";")[0], " ")
	switch {
	case size == 0:
		return "", 0, ErrNotUploaded.At("input", "key")
	case size > MaxAttachmentBytes:
		return "", 0, s.refuse(ctx, key, ErrAttachmentTooLarge.At("input", "key"))
	case !attachmentTypes[ctype]:
		return "", 0, s.refuse(ctx, key, ErrAttachmentType.At("input", "key"))
	}
	return ctype, size, nil
}

// refuse deletes a refused upload and returns why it was refused.
func (s *Service) refuse(ctx context.Context, key string, why error) error {
	if err := s.objects.Delete(ctx, key); err != nil {
		return err
	}
	return why
}

// Attachments lists a brand's files in the order attached (any staff member of its group).
func (s *Service) Attachments(ctx context.Context, brandID uuid.UUID) ([]Attachment, error) {
	b, err := s.brandFor(ctx, brandID, readRoles)
	if err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).AttachmentsOfBrand(ctx, b.GroupID, b.ID)
	out := make([]Attachment, len(rows))
	for i, r := range rows {
		out[i] = Attachment{ID: r.ID, BrandID: r.BrandID, Key: r.ObjectKey, Filename: r.Filename,
			ContentType: r.ContentType, Size: r.SizeBytes, CreatedAt: r.CreatedAt}
	}
	return out, err
}

// AttachmentURL returns a short-lived download URL of an attachment listed by
// Attachments (which checked access).
func (s *Service) AttachmentURL(ctx context.Context, a Attachment) (string, error) {
	return s.objects.PresignGet(ctx, a.Key, 15*time.Minute)
}
