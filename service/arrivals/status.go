package arrivals

import (
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/state"
)

// VisitResult is the outcome of a card swipe, stored with the visit; it never changes.
type VisitResult string

// The visit results.
const (
	VisitOK      VisitResult = "ok"
	VisitRefused VisitResult = "refused"
)

// ConsentStatus is where a member's face-recognition consent stands: never given, active,
// or revoked (the last one). Faces follow it: they are active only under an active
// consent, and revoked with it, in the same transaction.
type ConsentStatus string

// The consent statuses.
const (
	ConsentNone    ConsentStatus = "none"
	ConsentActive  ConsentStatus = "active"
	ConsentRevoked ConsentStatus = "revoked"
)

// ConsentEvent changes a consent.
type ConsentEvent string

// The consent events.
const (
	// ConsentGrant starts a consent, or keeps the active one (same notice version) or
	// replaces it (a newer notice).
	ConsentGrant  ConsentEvent = "grant"
	ConsentRevoke ConsentEvent = "revoke"
)

// ErrConsentTransition: the consent cannot change this way (revoking one that is not
// active).
var ErrConsentTransition = errs.New(errs.KindUser, "FACE_CONSENT_TRANSITION", "the face consent cannot change this way")

var consentMachine = state.New("face consent", ErrConsentTransition, map[ConsentEvent]map[ConsentStatus]ConsentStatus{
	ConsentGrant:  {ConsentNone: ConsentActive, ConsentActive: ConsentActive, ConsentRevoked: ConsentActive},
	ConsentRevoke: {ConsentActive: ConsentRevoked},
})

// ConsentTransition returns the status event leaves a consent in from status from, or
// ErrConsentTransition when event may not fire from there.
func ConsentTransition(event ConsentEvent, from ConsentStatus) (ConsentStatus, error) {
	return consentMachine.Next(event, from)
}

// Status is where the consent stands.
func (c Consent) Status() ConsentStatus {
	switch {
	case c.GrantedAt == nil:
		return ConsentNone
	case c.RevokedAt == nil:
		return ConsentActive
	}
	return ConsentRevoked
}
