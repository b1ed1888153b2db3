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
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/org"
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

// Deps are what the device registry is built from; all are required.
type Deps struct {
	DB        *storage.DB
	Org       *org.Service    // malls: where a device sits (access checks) and its mall's code
	Passwords *auth.Passwords // hashes MQTT passwords (tests use a low bcrypt cost)
	Now       func() time.Time
}

// Service is the device registry.
type Service struct {
	db  *storage.DB
	org *org.Service
	now func() time.Time
	pw  *auth.Passwords

	alarms AlarmHook // optional: SetAlarmHook
}

// New returns the registry.
func New(d Deps) *Service {
	service.MustDeps("devices", d)
	return &Service{db: d.DB, org: d.Org, now: d.Now, pw: d.Passwords}
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
