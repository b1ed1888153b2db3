package app

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/notify"
	"github.com/atrium-mall/atrium/service/page"
)

// seedNotify delivers what the demo's bills, payments and work orders put in the
// notify outbox (so the delivery log and the tenants' inboxes show them) and sends one
// group message to the demo members (once: a rerun finds it).
func (a *App) seedNotify(ctx context.Context, _, mall uuid.UUID) error {
	n := a.Services.Notify
	prior, err := n.GroupMessages(ctx, mall, page.Request{First: 1})
	if err != nil {
		return fmt.Errorf("demo group messages: %w", err)
	}
	if len(prior.Items) == 0 {
		if _, err := n.SendGroupMessage(ctx, mall, "周末会员日", "本周六会员积分双倍，欢迎光临！",
			notify.Segment{}); err != nil {
			return fmt.Errorf("demo group message: %w", err)
		}
	}
	for {
		d, err := n.Dispatch(ctx)
		if err != nil {
			return fmt.Errorf("demo notifications: %w", err)
		}
		if d == 0 {
			break
		}
	}
	for _, ch := range notify.Channels {
		for range 20 {
			r, err := n.Deliver(ctx, ch, "seed")
			if err != nil {
				return fmt.Errorf("demo notifications (%s): %w", ch, err)
			}
			if r.Claimed == 0 {
				break
			}
		}
	}
	return nil
}
