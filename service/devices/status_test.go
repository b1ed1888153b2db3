package devices

import (
	"errors"
	"testing"
)

// TestStatusTransitions walks the device's transition table: enabling and disabling
// are allowed from either status (a repeat changes nothing); anything else is refused
// with DEVICE_TRANSITION.
func TestStatusTransitions(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change Change
		from   Status
		want   Status
		legal  bool
	}{
		{"enable a disabled device", Enable, StatusDisabled, StatusEnabled, true},
		{"enable an enabled device", Enable, StatusEnabled, StatusEnabled, true},
		{"disable an enabled device", Disable, StatusEnabled, StatusDisabled, true},
		{"disable a disabled device", Disable, StatusDisabled, StatusDisabled, true},
		{"unknown change", Change("retire"), StatusEnabled, StatusEnabled, false},
		{"unknown status", Enable, Status("lost"), Status("lost"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := statuses.Next(tc.change, tc.from)
			if tc.legal != (err == nil) || (err != nil && !errors.Is(err, ErrDeviceTransition)) {
				t.Fatalf("Next(%s, %s) error = %v, legal %v", tc.change, tc.from, err, tc.legal)
			}
			if got != tc.want {
				t.Fatalf("Next(%s, %s) = %s, want %s", tc.change, tc.from, got, tc.want)
			}
		})
	}
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
