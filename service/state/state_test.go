package state

import (
	"slices"
	"testing"

	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/state/statetest"
)

type lamp string
type flick string

var errLamp = errs.New(errs.KindUser, "LAMP_TRANSITION", "illegal lamp transition")

var lamps = New("lamp", errLamp, map[flick]map[lamp]lamp{
	"switch_on":  {"off": "on"},
	"switch_off": {"on": "off", "broken": "broken"},
})

func TestMachine(t *testing.T) {
	const on, off, broken lamp = "on", "off", "broken"
	const switchOn, switchOff flick = "switch_on", "switch_off"
	cases := []statetest.Case[lamp, flick]{
		statetest.Legal("on from off", switchOn, off, on),
		statetest.Legal("off from on", switchOff, on, off),
		statetest.Legal("off keeps a broken lamp broken", switchOff, broken, broken),
		statetest.Refused("on from on or broken is illegal", switchOn, on, broken),
		statetest.Refused("unknown event is illegal", flick("smash"), on),
	}
	statetest.Check(t, lamps.Next, errLamp, cases...)
	t.Run("Can agrees with Next", func(t *testing.T) {
		for _, tc := range cases {
			for _, from := range tc.From {
				if lamps.Can(tc.Event, from) != (tc.To != "") {
					t.Errorf("Can(%s, %s) disagrees with Next", tc.Event, from)
				}
			}
		}
	})
	t.Run("From lists the source statuses", func(t *testing.T) {
		got := lamps.From("switch_off")
		slices.Sort(got)
		if !slices.Equal(got, []string{"broken", "on"}) {
			t.Fatalf("From = %v", got)
		}
	})
}
