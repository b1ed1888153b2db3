package coupons

import (
	"errors"
	"testing"

	"github.com/atrium-mall/atrium/service/errs"
)

// transition is one row of a machine's table test: event from a status, and the status
// it leaves (ok) or the machine's error.
type transition[S, E ~string] struct {
	name string
	ev   E
	from S
	to   S
	ok   bool
}

// checkMachine runs cases through next, checking the illegal ones fail with want.
func checkMachine[S, E ~string](t *testing.T, next func(E, S) (S, error), want *errs.Error, cases []transition[S, E]) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := next(tc.ev, tc.from)
			if tc.ok != (err == nil) || (tc.ok && got != tc.to) {
				t.Fatalf("%s from %s = %s, %v", tc.ev, tc.from, got, err)
			}
			if !tc.ok && !errors.Is(err, want) {
				t.Fatalf("error %v is not %s", err, want.Code)
			}
		})
	}
}

func TestTemplateTransitions(t *testing.T) {
	type tr = transition[TemplateStatus, TemplateEvent]
	checkMachine(t, templateStates.Next, ErrBadTransition, []tr{
		{"activate a draft", TemplateActivate, TemplateDraft, TemplateActive, true},
		{"resume a paused template", TemplateActivate, TemplatePaused, TemplateActive, true},
		{"pause an active template", TemplatePause, TemplateActive, TemplatePaused, true},
		{"end a draft", TemplateEnd, TemplateDraft, TemplateEnded, true},
		{"end an active template", TemplateEnd, TemplateActive, TemplateEnded, true},
		{"end a paused template", TemplateEnd, TemplatePaused, TemplateEnded, true},
		{"activate an active template", TemplateActivate, TemplateActive, "", false},
		{"activate an ended template", TemplateActivate, TemplateEnded, "", false},
		{"pause a draft", TemplatePause, TemplateDraft, "", false},
		{"pause an ended template", TemplatePause, TemplateEnded, "", false},
		{"end an ended template", TemplateEnd, TemplateEnded, "", false},
	})
	t.Run("every settable status has its event", func(t *testing.T) {
		for to, ev := range templateEventTo {
			if !templateStates.Can(ev, TemplatePaused) && !templateStates.Can(ev, TemplateActive) {
				t.Errorf("%s (to %s) fires from neither paused nor active", ev, to)
			}
		}
		if _, ok := templateEventTo[TemplateDraft]; ok {
			t.Error("a template can be set back to draft")
		}
	})
}

func TestCouponTransitions(t *testing.T) {
	type tr = transition[CouponStatus, CouponEvent]
	checkMachine(t, couponStates.Next, ErrCouponNotUsable, []tr{
		{"use an issued coupon", CouponUse, CouponIssued, CouponUsed, true},
		{"restore a used coupon", CouponRestore, CouponUsed, CouponIssued, true},
		{"use a used coupon", CouponUse, CouponUsed, "", false},
		{"use a revoked coupon", CouponUse, CouponRevoked, "", false},
		{"restore an issued coupon", CouponRestore, CouponIssued, "", false},
		{"restore a revoked coupon", CouponRestore, CouponRevoked, "", false},
	})
	for _, ev := range []CouponEvent{CouponUse, CouponRestore} {
		t.Run("one edge for "+string(ev), func(t *testing.T) {
			if n := len(couponStates.From(ev)); n != 1 {
				t.Fatalf("%s fires from %d statuses; couponEdge needs one", ev, n)
			}
			from, to := couponEdge(ev)
			if got, err := couponStates.Next(ev, from); err != nil || got != to {
				t.Fatalf("couponEdge(%s) = %s → %s, machine says %s, %v", ev, from, to, got, err)
			}
		})
	}
}

func TestRunTransitions(t *testing.T) {
	type tr = transition[RunStatus, RunEvent]
	checkMachine(t, runStates.Next, ErrRunTransition, []tr{
		{"start a queued run", RunStart, RunQueued, RunRunning, true},
		{"restart a failed run", RunStart, RunFailed, RunRunning, true},
		{"restart a run cut short", RunStart, RunRunning, RunRunning, true},
		{"finish a running run", RunFinish, RunRunning, RunDone, true},
		{"fail a running run", RunFail, RunRunning, RunFailed, true},
		{"start a done run", RunStart, RunDone, "", false},
		{"finish a queued run", RunFinish, RunQueued, "", false},
		{"fail a done run", RunFail, RunDone, "", false},
	})
}
