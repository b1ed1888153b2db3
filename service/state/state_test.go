package state

import (
	"errors"
	"slices"
	"testing"

	"github.com/atrium-mall/atrium/service/errs"
)

type lamp string
type flick string

var errLamp = errs.New(errs.KindUser, "LAMP_TRANSITION", "illegal lamp transition")

var lamps = New("lamp", errLamp, map[flick]map[lamp]lamp{
	"switch_on":  {"off": "on"},
	"switch_off": {"on": "off", "broken": "broken"},
})

func TestMachine(t *testing.T) {
	cases := []struct {
		name  string
		event flick
		from  lamp
		want  lamp
		ok    bool
	}{
		{"on from off", "switch_on", "off", "on", true},
		{"off from on", "switch_off", "on", "off", true},
		{"off keeps a broken lamp broken", "switch_off", "broken", "broken", true},
		{"on from on is illegal", "switch_on", "on", "on", false},
		{"on from broken is illegal", "switch_on", "broken", "broken", false},
		{"unknown event is illegal", "smash", "on", "on", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := lamps.Next(tc.event, tc.from)
			if tc.ok != (err == nil) || got != tc.want {
				t.Fatalf("Next(%s, %s) = %s, %v", tc.event, tc.from, got, err)
			}
			if !tc.ok && !errors.Is(err, errLamp) {
				t.Fatalf("error %v is not the machine's sentinel", err)
			}
			if lamps.Can(tc.event, tc.from) != tc.ok {
				t.Fatalf("Can disagrees with Next")
			}
		})
	}
	t.Run("From lists the source statuses", func(t *testing.T) {
		got := lamps.From("switch_off")
		slices.Sort(got)
		if !slices.Equal(got, []string{"broken", "on"}) {
			t.Fatalf("From = %v", got)
		}
	})
}
