// Package devices is the IoT device registry: card readers, meters, patrol checkpoints
// and face cameras, their bindings, MQTT credentials, and their health (online/offline,
// last seen, silence alarms). It also owns the exactly-once event log and the dead
// letters that the MQTT bridge writes.
package devices

import (
	"crypto/rand"
	"encoding/base64"
	"regexp"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/storage"
)

// Type is a kind of device; it is also the device-type segment of its MQTT topics.
type Type string

// The device types.
const (
	CardReader Type = "card-reader"
	Meter      Type = "meter"
	Patrol     Type = "patrol"
	FaceCamera Type = "face-camera"
)

// Valid reports whether t is a known device type.
func (t Type) Valid() bool {
	return t == CardReader || t == Meter || t == Patrol || t == FaceCamera
}

// Errors of the devices context.
var (
	ErrDeviceExists  = errs.New(errs.KindUser, "DEVICE_EXISTS", "a device with this id exists")
	ErrBadCredential = errs.New(errs.KindUnauthenticated, "BAD_DEVICE_CREDENTIAL", "wrong device id or password")
)

// Device is one registered device.
type Device struct {
	ID          string
	MallID      uuid.UUID
	MallCode    string
	Type        Type
	Name        string
	Zone        string
	Location    string
	BindingKind string // unit (meter), checkpoint (patrol), entrance (camera, card reader), resource (lounge card reader: a booking_resources id)
	BindingRef  string
	Enabled     bool
	Online      bool
	LastSeenAt  *time.Time
	MeterKind   string           // electricity, water, gas (meters)
	MeterMax    *decimal.Decimal // counter maximum before it rolls over (meters)
	CreatedAt   time.Time
}

// Service is the device registry.
type Service struct {
	db  *storage.DB
	now func() time.Time
	pw  *auth.Passwords
}

// Option configures a Service.
type Option func(*Service)

// WithPasswords sets the password hasher (tests use a low bcrypt cost).
func WithPasswords(p *auth.Passwords) Option { return func(s *Service) { s.pw = p } }

// WithClock injects the clock.
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// New returns the registry.
func New(db *storage.DB, opts ...Option) *Service {
	s := &Service{db: db, now: time.Now, pw: auth.NewPasswords(0)}
	for _, o := range opts {
		o(s)
	}
	return s
}

var idRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// ValidID reports whether id can be a device id (and an MQTT topic segment).
func ValidID(id string) bool { return idRe.MatchString(id) }

// newPassword returns a random device password.
func newPassword() string {
	b := make([]byte, 18)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
