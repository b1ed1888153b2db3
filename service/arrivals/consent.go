package arrivals

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/arrivals/internal/queries"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/storage"
)

// Errors of face enrolment.
var (
	ErrConsentRequired = errs.New(errs.KindUser, "FACE_CONSENT_REQUIRED",
		"the member has not consented to face recognition (or revoked the consent)")
	ErrFaceTaken = errs.New(errs.KindUser, "FACE_ENROLLED_TO_OTHER_MEMBER",
		"this face id is enrolled for another member")
	ErrNoticeOutdated = errs.New(errs.KindUser, "FACE_NOTICE_OUTDATED",
		"the privacy notice shown is not the current one: show the current notice and ask again")
)

// enrolRoles may enrol a member's face at a mall.
var enrolRoles = []auth.Role{auth.RoleAdmin, auth.RoleServiceDesk, auth.RoleSecurity}

// Consent is a member's consent to face recognition: the current one, or the last one
// (revoked), or none (zero times).
type Consent struct {
	GrantedAt     *time.Time
	RevokedAt     *time.Time
	NoticeVersion string // the privacy notice consented to
}

// Active reports whether faces of the member may be recognised.
func (c Consent) Active() bool { return c.Status() == ConsentActive }

// Face is a camera's face id enrolled for a member under a consent.
type Face struct {
	FaceID    string
	MemberID  uuid.UUID
	ConsentAt time.Time // when the consent the face is enrolled under was given
}

// memberActive is the status (members.status) of a member who may consent.
const memberActive = "active"

// lockMember locks the member's row first in every consent change and enrolment, so
// that those of one member run one at a time (FOR NO KEY UPDATE: inserts referencing the
// member are not blocked). An unknown member is storage.ErrNotFound.
func lockMember(ctx context.Context, q *queries.Queries, member uuid.UUID) (queries.LockMemberRow, error) {
	m, err := q.LockMember(ctx, member)
	if err != nil {
		return m, fmt.Errorf("lock member: %w", storage.MapError(err))
	}
	return m, nil
}

// lockConsenting locks the member for a consent change: a member that is not active
// cannot consent (but can always revoke); an unknown one is FORBIDDEN.
func lockConsenting(ctx context.Context, q *queries.Queries, member uuid.UUID, consenting bool) error {
	m, err := lockMember(ctx, q, member)
	if errors.Is(err, storage.ErrNotFound) || (err == nil && consenting && m.Status != memberActive) {
		return errs.ErrForbidden
	}
	return err
}

// lastConsent reads the member's current or last consent.
func lastConsent(ctx context.Context, q *queries.Queries, member uuid.UUID) (Consent, error) {
	r, err := q.LastConsent(ctx, member)
	if errors.Is(err, pgx.ErrNoRows) {
		return Consent{}, nil
	} else if err != nil {
		return Consent{}, fmt.Errorf("read consent: %w", err)
	}
	return Consent{GrantedAt: &r.GrantedAt, RevokedAt: r.RevokedAt, NoticeVersion: r.NoticeVersion}, nil
}

// GrantFaceConsent records the shopper's consent to face recognition under the privacy
// notice noticeVersion (the version the mini-program showed). Granting the same version
// while a consent is active keeps it (idempotent); consenting to a newer notice ends the
// active consent and starts one under the new version, without touching enrolled faces.
// Faces revoked with an earlier consent stay revoked until staff enrol them again.
func (s *Service) GrantFaceConsent(ctx context.Context, noticeVersion string) (Consent, error) {
	member, err := access.Shopper(ctx)
	if err != nil {
		return Consent{}, err
	}
	if noticeVersion, err = s.checkNotice(noticeVersion); err != nil {
		return Consent{}, err
	}
	var c Consent
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		c, err = grant(ctx, queries.New(tx), member, noticeVersion, time.Now())
		return err
	})
	return c, err
}

// checkNotice trims the notice version and checks it is the current one (when set).
func (s *Service) checkNotice(version string) (string, error) {
	version = strings.TrimSpace(version)
	if version == "" || len(version) > 64 {
		return "", errs.Invalid("noticeVersion", "the privacy notice version must be 1 to 64 characters")
	}
	if current := s.cfg.FaceNoticeVersion; current != "" && version != current {
		return "", ErrNoticeOutdated.At("noticeVersion").Msgf("the current notice is %q", current)
	}
	return version, nil
}

// grant gives the member's consent to notice at now, under the member's lock.
func grant(ctx context.Context, q *queries.Queries, member uuid.UUID, notice string, now time.Time) (Consent, error) {
	if err := lockConsenting(ctx, q, member, true); err != nil {
		return Consent{}, err
	}
	last, err := lastConsent(ctx, q, member)
	if err != nil {
		return Consent{}, err
	}
	if _, err := ConsentTransition(ConsentGrant, last.Status()); err != nil {
		return Consent{}, err
	}
	err = q.EndConsentToOtherNotice(ctx, queries.EndConsentToOtherNoticeParams{At: now, MemberID: member,
		NoticeVersion: notice})
	if err != nil {
		return Consent{}, fmt.Errorf("end consent: %w", err)
	}
	err = q.InsertConsent(ctx, queries.InsertConsentParams{ID: service.NewID(), MemberID: member, GrantedAt: now,
		NoticeVersion: notice})
	if err != nil {
		return Consent{}, fmt.Errorf("insert consent: %w", err)
	}
	return lastConsent(ctx, q, member)
}

// RevokeFaceConsent ends the shopper's consent: the consent and every face of the
// member are marked revoked at the same time, in one transaction, so recognition stops
// at once. Revoking without an active consent changes nothing.
func (s *Service) RevokeFaceConsent(ctx context.Context) (Consent, error) {
	member, err := access.Shopper(ctx)
	if err != nil {
		return Consent{}, err
	}
	var c Consent
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		c, err = revoke(ctx, queries.New(tx), member, time.Now())
		return err
	})
	return c, err
}

// revoke ends the member's active consent and revokes their faces at now, under the
// member's lock; without an active consent it returns the last one unchanged.
func revoke(ctx context.Context, q *queries.Queries, member uuid.UUID, now time.Time) (Consent, error) {
	if err := lockConsenting(ctx, q, member, false); err != nil {
		return Consent{}, err
	}
	last, err := lastConsent(ctx, q, member)
	if err != nil || !consentMachine.Can(ConsentRevoke, last.Status()) {
		return last, err
	}
	if err := q.RevokeConsent(ctx, now, member); err != nil {
		return Consent{}, fmt.Errorf("revoke consent: %w", err)
	}
	if err := q.RevokeFaces(ctx, now, member); err != nil {
		return Consent{}, fmt.Errorf("revoke faces: %w", err)
	}
	return lastConsent(ctx, q, member)
}

// MyFaceConsent returns the shopper's current or last consent.
func (s *Service) MyFaceConsent(ctx context.Context) (Consent, error) {
	member, err := access.Shopper(ctx)
	if err != nil {
		return Consent{}, err
	}
	return lastConsent(ctx, queries.New(s.db.Pool), member)
}

// faceID checks a camera's face id: 1-128 printable characters without spaces.
func faceID(id string) error {
	if id == "" || len(id) > 128 || strings.IndexFunc(id, func(r rune) bool { return unicode.IsSpace(r) || !unicode.IsPrint(r) }) >= 0 {
		return errs.Invalid("input.faceId", "a face id is 1-128 printable characters without spaces")
	}
	return nil
}

// EnrolFace maps a camera's face id to a member of the mall's group, so the mall's
// cameras recognise them. Admin, service desk or security staff of the mall; only
// under the member's active consent (FACE_CONSENT_REQUIRED). A face id enrolled for
// another member is FACE_ENROLLED_TO_OTHER_MEMBER while that enrolment is active; a
// revoked one (its member withdrew consent) is taken over. Enrolling the same pair again
// is idempotent (and re-activates a face revoked with an earlier consent).
func (s *Service) EnrolFace(ctx context.Context, mallID, memberID uuid.UUID, face string) (Face, error) {
	mall, err := s.authorize(ctx, mallID, enrolRoles...)
	if err != nil {
		return Face{}, err
	}
	if err := faceID(face); err != nil {
		return Face{}, err
	}
	var out Face
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		out, err = enrol(ctx, queries.New(tx), mall.GroupID, memberID, face)
		return err
	})
	if err != nil {
		return Face{}, err
	}
	return out, nil
}

// enrol maps face to the member of group under the member's active consent. The
// member's row is locked until commit: a concurrent revocation waits, then revokes this
// face too.
func enrol(ctx context.Context, q *queries.Queries, group, member uuid.UUID, face string) (Face, error) {
	m, err := lockMember(ctx, q, member)
	if errors.Is(err, storage.ErrNotFound) || (err == nil && (m.GroupID == nil || *m.GroupID != group)) {
		return Face{}, errs.ErrNotFound.Msgf("member not found")
	} else if err != nil {
		return Face{}, err
	}
	granted, err := q.ActiveConsentGrantedAt(ctx, member)
	if errors.Is(err, pgx.ErrNoRows) {
		return Face{}, ErrConsentRequired.At("input", "memberId")
	} else if err != nil {
		return Face{}, fmt.Errorf("read consent: %w", err)
	}
	if err := q.EnrolFace(ctx, queries.EnrolFaceParams{FaceID: face, MemberID: member, ConsentAt: granted}); err != nil {
		return Face{}, fmt.Errorf("enrol face: %w", err)
	}
	owner, err := q.FaceOwner(ctx, face)
	if err != nil {
		return Face{}, fmt.Errorf("read face: %w", err)
	}
	if owner.MemberID != member {
		return Face{}, ErrFaceTaken.At("input", "faceId")
	}
	return Face{FaceID: face, MemberID: member, ConsentAt: owner.ConsentAt}, nil
}
