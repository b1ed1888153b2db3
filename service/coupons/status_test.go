package coupons

import (
	"testing"

	"github.com/atrium-mall/atrium/service/state/statetest"
)

func TestTemplateTransitions(t *testing.T) {
	statetest.Check(t, templateStates.Next, ErrBadTransition,
		statetest.Legal("activate a draft", TemplateActivate, TemplateDraft, TemplateActive),
		statetest.Legal("resume a paused template", TemplateActivate, TemplatePaused, TemplateActive),
		statetest.Legal("pause an active template", TemplatePause, TemplateActive, TemplatePaused),
		statetest.Legal("end a draft", TemplateEnd, TemplateDraft, TemplateEnded),
		statetest.Legal("end an active template", TemplateEnd, TemplateActive, TemplateEnded),
		statetest.Legal("end a paused template", TemplateEnd, TemplatePaused, TemplateEnded),
		statetest.Refused("activate an active or ended template", TemplateActivate, TemplateActive, TemplateEnded),
		statetest.Refused("pause a draft or an ended template", TemplatePause, TemplateDraft, TemplateEnded),
		statetest.Refused("end an ended template", TemplateEnd, TemplateEnded),
	)
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
	statetest.Check(t, couponStates.Next, ErrCouponNotUsable,
		statetest.Legal("use an issued coupon", CouponUse, CouponIssued, CouponUsed),
		statetest.Legal("restore a used coupon", CouponRestore, CouponUsed, CouponIssued),
		statetest.Refused("use a used or revoked coupon", CouponUse, CouponUsed, CouponRevoked),
		statetest.Refused("restore a coupon not used", CouponRestore, CouponIssued, CouponRevoked),
	)
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
	statetest.Check(t, runStates.Next, ErrRunTransition,
		statetest.Legal("start a queued run", RunStart, RunQueued, RunRunning),
		statetest.Legal("restart a failed run", RunStart, RunFailed, RunRunning),
		statetest.Legal("restart a run cut short", RunStart, RunRunning, RunRunning),
		statetest.Legal("finish a running run", RunFinish, RunRunning, RunDone),
		statetest.Legal("fail a running run", RunFail, RunRunning, RunFailed),
		statetest.Refused("start a done run", RunStart, RunDone),
		statetest.Refused("finish a queued run", RunFinish, RunQueued),
		statetest.Refused("fail a done run", RunFail, RunDone),
	)
}
