package arrivals

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/calendar"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/org"
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
func (c Consent) Active() bool { return c.GrantedAt != nil && c.RevokedAt == nil }

// Face is a camera's face id enrolled for a member under a consent.
type Face struct {
	FaceID    string
	MemberID  uuid.UUID
	ConsentAt time.Time // when the consent the face is enrolled under was given
}

// shopper returns the shopper viewer's member id.
func shopper(ctx context.Context) (uuid.UUID, error) {
	v := auth.ViewerFrom(ctx)
	switch {
	case v == nil:
		return uuid.Nil, errs.ErrUnauthenticated
	case !v.IsShopper():
		return uuid.Nil, errs.ErrForbidden
	}
	return v.ID, nil
}

// lockMember locks the member's row first in every consent change and enrolment, so
// that those of one member run one at a time (FOR NO KEY UPDATE: inserts referencing the
// member are not blocked). A member that is not active cannot consent (but can always
// revoke).
func lockMember(ctx context.Context, tx pgx.Tx, member uuid.UUID, consenting bool) error {
	var status string
	err := tx.QueryRow(ctx, `SELECT status FROM members WHERE id = $1 FOR NO KEY UPDATE`, member).Scan(&status)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && consenting && status != "active") {
		return errs.ErrForbidden
	}
	return err
}

// lastConsent reads the member's current or last consent.
func lastConsent(ctx context.Context, q storage.Querier, member uuid.UUID) (Consent, error) {
	var c Consent
	err := q.QueryRow(ctx, `SELECT granted_at, revoked_at, notice_version FROM face_consents WHERE member_id = $1
		ORDER BY (revoked_at IS NULL) DESC, granted_at DESC, id DESC LIMIT 1`, member).
		Scan(&c.GrantedAt, &c.RevokedAt, &c.NoticeVersion)
	if errors.Is(err, pgx.ErrNoRows) {
		return Consent{}, nil
	}
	return c, err
}

// GrantFaceConsent records the shopper's consent to face recognition under the privacy
// notice noticeVersion (the version the mini-program showed). Granting the same version
// while a consent is active keeps it (idempotent); consenting to a newer notice ends the
// active consent and starts one under the new version, without touching enrolled faces.
// Faces revoked with an earlier consent stay revoked until staff enrol them again.
func (s *Service) GrantFaceConsent(ctx context.Context, noticeVersion string) (Consent, error) {
	member, err := shopper(ctx)
	if err != nil {
		return Consent{}, err
	}
	noticeVersion = strings.TrimSpace(noticeVersion)
	if noticeVersion == "" || len(noticeVersion) > 64 {
		return Consent{}, errs.Invalid("noticeVersion", "the privacy notice version must be 1 to 64 characters")
	}
	if current := s.cfg.FaceNoticeVersion; current != "" && noticeVersion != current {
		return Consent{}, ErrNoticeOutdated.At("noticeVersion").Msgf("the current notice is %q", current)
	}
	var c Consent
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		if err := lockMember(ctx, tx, member, true); err != nil {
			return err
		}
		now := time.Now()
		if _, err := tx.Exec(ctx, `UPDATE face_consents SET revoked_at = $3 WHERE member_id = $1 AND revoked_at IS NULL
			AND notice_version <> $2`, member, noticeVersion, now); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO face_consents (id, member_id, granted_at, notice_version) VALUES ($1, $2, $3, $4)
			ON CONFLICT (member_id) WHERE revoked_at IS NULL DO NOTHING`, service.NewID(), member, now, noticeVersion); err != nil {
			return err
		}
		c, err = lastConsent(ctx, tx, member)
		return err
	})
	return c, err
}

// RevokeFaceConsent ends the shopper's consent: the consent and every face of the
// member are marked revoked at the same time, in one transaction, so recognition stops
// at once. Revoking without an active consent changes nothing.
func (s *Service) RevokeFaceConsent(ctx context.Context) (Consent, error) {
	member, err := shopper(ctx)
	if err != nil {
		return Consent{}, err
	}
	var c Consent
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		if err := lockMember(ctx, tx, member, false); err != nil {
			return err
		}
		now := time.Now()
		if _, err := tx.Exec(ctx, `UPDATE face_consents SET revoked_at = greatest($2, granted_at)
			WHERE member_id = $1 AND revoked_at IS NULL`, member, now); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE member_faces SET revoked_at = $2 WHERE member_id = $1 AND revoked_at IS NULL`,
			member, now); err != nil {
			return err
		}
		c, err = lastConsent(ctx, tx, member)
		return err
	})
	return c, err
}

// MyFaceConsent returns the shopper's current or last consent.
func (s *Service) MyFaceConsent(ctx context.Context) (Consent, error) {
	member, err := shopper(ctx)
	if err != nil {
		return Consent{}, err
	}
	return lastConsent(ctx, s.db.Pool, member)
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
	v := auth.ViewerFrom(ctx)
	if v == nil {
		return Face{}, errs.ErrUnauthenticated
	}
	ref, err := org.New(org.Deps{DB: s.db, Passwords: auth.NewPasswords(0), Zones: calendar.NewZones(nil)}).MallRef(ctx, mallID)
	if err != nil || !v.Can(ref, enrolRoles...) {
		return Face{}, errs.ErrForbidden
	}
	if err := faceID(face); err != nil {
		return Face{}, err
	}
	out := Face{FaceID: face, MemberID: memberID}
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		// The member's row is locked until commit: a concurrent revocation waits, then
		// revokes this face too.
		var group uuid.UUID
		err := tx.QueryRow(ctx, `SELECT group_id FROM members WHERE id = $1 FOR NO KEY UPDATE`, memberID).Scan(&group)
		if errors.Is(err, pgx.ErrNoRows) || (err == nil && group != ref.GroupID) {
			return errs.ErrNotFound.Msgf("member not found")
		} else if err != nil {
			return err
		}
		var granted time.Time
		err = tx.QueryRow(ctx, `SELECT granted_at FROM face_consents WHERE member_id = $1 AND revoked_at IS NULL`,
			memberID).Scan(&granted)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrConsentRequired.At("input", "memberId")
		} else if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO member_faces (face_id, member_id, consent_at) VALUES ($1, $2, $3)
			ON CONFLICT (face_id) DO UPDATE SET member_id = EXCLUDED.member_id, consent_at = EXCLUDED.consent_at,
				revoked_at = NULL
			WHERE member_faces.revoked_at IS NOT NULL`,
			face, memberID, granted); err != nil {
			return err
		}
		var owner uuid.UUID
		if err := tx.QueryRow(ctx, `SELECT member_id, consent_at FROM member_faces WHERE face_id = $1`, face).
			Scan(&owner, &out.ConsentAt); err != nil {
			return err
		}
		if owner != memberID {
			return ErrFaceTaken.At("input", "faceId")
		}
		return nil
	})
	if err != nil {
		return Face{}, err
	}
	return out, nil
}
