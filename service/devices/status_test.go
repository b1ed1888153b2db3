package devices

import (
	"testing"

	"github.com/atrium-mall/atrium/service/state/statetest"
)

// TestStatusTransitions walks the device's transition table: enabling and disabling
// are allowed from either status (a repeat changes nothing); anything else is refused
// with DEVICE_TRANSITION.
func TestStatusTransitions(t *testing.T) {
	statetest.Check(t, statuses.Next, ErrDeviceTransition,
		statetest.Legal("enable a disabled device", Enable, StatusDisabled, StatusEnabled),
		statetest.Legal("enable an enabled device", Enable, StatusEnabled, StatusEnabled),
		statetest.Legal("disable an enabled device", Disable, StatusEnabled, StatusDisabled),
		statetest.Legal("disable a disabled device", Disable, StatusDisabled, StatusDisabled),
		statetest.Refused("unknown change", Change("retire"), StatusEnabled),
		statetest.Refused("unknown status", Enable, Status("lost")),
	)
}

// TestDerivedStatuses: a device's and an alarm's status follow their stored columns.
func TestDerivedStatuses(t *testing.T) {
	now := Alarm{}.RaisedAt
	for _, tc := range []struct {
		name string
		got  string
		want string
	}{
		{"enabled device", string(Device{Enabled: true}.Status()), string(StatusEnabled)},
		{"disabled device", string(Device{}.Status()), string(StatusDisabled)},
		{"open alarm", string(Alarm{}.Status()), string(AlarmOpen)},
		{"cleared alarm", string(Alarm{ClearedAt: &now}.Status()), string(AlarmCleared)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Fatalf("status = %s, want %s", tc.got, tc.want)
			}
		})
	}
}
