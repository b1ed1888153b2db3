package devices

import (
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/state"
)

// Status is whether a device may connect to the embedded broker and have its events
// processed (stored as devices.enabled). Whether it is online is a separate fact,
// reported by the device and its silence (Device.Online).
type Status string

// The device statuses.
const (
	StatusEnabled  Status = "enabled"
	StatusDisabled Status = "disabled"
)

// Change is what an admin does to a device's status.
type Change string

// The status changes.
const (
	Enable  Change = "enable"
	Disable Change = "disable"
)

// ErrDeviceTransition: a status change the device's status does not allow.
var ErrDeviceTransition = errs.New(errs.KindUser, "DEVICE_TRANSITION", "the device's status does not allow this change")

// statuses is the device's transition table. Enabling or disabling is allowed from
// either status: a repeat leaves the device as it is (setDeviceEnabled is idempotent).
var statuses = state.New("device", ErrDeviceTransition, map[Change]map[Status]Status{
	Enable:  {StatusDisabled: StatusEnabled, StatusEnabled: StatusEnabled},
	Disable: {StatusEnabled: StatusDisabled, StatusDisabled: StatusDisabled},
})

// Status is the device's status.
func (d Device) Status() Status {
	if d.Enabled {
		return StatusEnabled
	}
	return StatusDisabled
}

// AlarmStatus is whether an offline alarm is still open. An alarm is raised open and
// cleared once, when its device is back; both happen in the health job's and the
// status message's conditional updates (cleared_at IS NULL), which a partial unique
// index backs: at most one open alarm per device.
type AlarmStatus string

// The alarm statuses.
const (
	AlarmOpen    AlarmStatus = "open"
	AlarmCleared AlarmStatus = "cleared"
)

// Status is the alarm's status.
func (a Alarm) Status() AlarmStatus {
	if a.ClearedAt == nil {
		return AlarmOpen
	}
	return AlarmCleared
}
