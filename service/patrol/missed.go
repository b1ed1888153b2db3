package patrol

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/calendar"
	"github.com/atrium-mall/atrium/service/patrol/internal/queries"
)

// lookback bounds how far back FlagMissed looks for rounds (a missed job run catches up).
const lookback = 48 * time.Hour

// FlagMissed is the patrol job: for every active route and every round whose window
// for a checkpoint has closed by now (within the last two days), a checkpoint with no
// scan inside its window is flagged, once (re-running is harmless). Rounds that
// started before the route was created are not checked. Rounds keep the time zone of
// the route's mall.
func (s *Service) FlagMissed(ctx context.Context, now time.Time) ([]Miss, error) {
	routes, err := queries.New(s.db.Pool).ActiveRoutes(ctx)
	if err != nil {
		return nil, fmt.Errorf("active routes: %w", err)
	}
	zones := map[uuid.UUID]*time.Location{}
	var out []Miss
	for _, r := range routes {
		loc, err := s.zone(ctx, zones, r.MallID)
		if err != nil {
			return out, err
		}
		for _, start := range roundStarts(loc, r.RoundStarts, now) {
			m, err := s.flagRound(ctx, r.ID, start, now)
			if err != nil {
				return out, err
			}
			out = append(out, m...)
		}
	}
	return out, nil
}

// zone returns the business time zone of a mall, read once per job run (seen).
func (s *Service) zone(ctx context.Context, seen map[uuid.UUID]*time.Location, mallID uuid.UUID) (*time.Location, error) {
	if loc, ok := seen[mallID]; ok {
		return loc, nil
	}
	p, err := s.org.MallPlace(ctx, nil, mallID)
	if err != nil {
		return nil, fmt.Errorf("time zone of mall %s: %w", mallID, err)
	}
	seen[mallID] = p.Loc
	return p.Loc, nil
}

// roundStarts lists the round starts (minutes after local midnight) of the last days
// in loc that began within the lookback and not after now.
func roundStarts(loc *time.Location, minutes []int32, now time.Time) []time.Time {
	today := calendar.StartOfDay(now, loc)
	var out []time.Time
	for d := -2; d <= 0; d++ {
		day := time.Date(today.Year(), today.Month(), today.Day()+d, 0, 0, 0, 0, loc)
		for _, m := range minutes {
			st := day.Add(time.Duration(m) * time.Minute)
			if !st.After(now) && now.Sub(st) <= lookback {
				out = append(out, st)
			}
		}
	}
	return out
}

// flagRound flags the checkpoints of one round whose window closed unscanned, handing
// each new miss to the hook in the same transaction.
func (s *Service) flagRound(ctx context.Context, route uuid.UUID, start, now time.Time) ([]Miss, error) {
	var out []Miss
	err := s.db.InTxAfter(ctx, func(ctx context.Context, tx pgx.Tx) error {
		rows, err := queries.New(tx).FlagRoundMisses(ctx, queries.FlagRoundMissesParams{RoundStart: start, Now: now,
			RouteID: route})
		out = make([]Miss, len(rows))
		for i, r := range rows {
			out[i] = missOf(queries.MissesOfMallRow(r))
		}
		for _, m := range out {
			if err == nil && s.misses != nil {
				err = s.misses.CheckpointMissed(ctx, tx, m)
			}
		}
		return err
	})
	return out, err
}

// MissHook hears of each missed checkpoint inside the transaction that flagged it (the
// work-orders context opens an order per checkpoint).
type MissHook interface {
	CheckpointMissed(ctx context.Context, tx pgx.Tx, m Miss) error
}

// SetMissHook sets the hook (not a Deps field: its context is built after patrol).
func (s *Service) SetMissHook(h MissHook) { s.misses = h }

// Misses returns a mall's missed checkpoints of rounds started in [from, to), for
// security staff and admins of the mall.
func (s *Service) Misses(ctx context.Context, mallID uuid.UUID, from, to time.Time) ([]Miss, error) {
	if err := s.authorize(ctx, mallID); err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).MissesOfMall(ctx, queries.MissesOfMallParams{MallID: mallID, FromAt: from, ToAt: to})
	out := make([]Miss, len(rows))
	for i, r := range rows {
		out[i] = missOf(r)
	}
	return out, err
}

func missOf(r queries.MissesOfMallRow) Miss {
	return Miss{ID: r.ID, MallID: r.MallID, RouteID: r.RouteID, RoundStart: r.RoundStart, Seq: int(r.Seq),
		CheckpointID: r.CheckpointID, DueBy: r.DueBy, FlaggedAt: r.FlaggedAt}
}
