package brands

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/brands/internal/queries"
	"github.com/atrium-mall/atrium/service/errs"
)

// Entry is a stage a prospect entered: a row of the stage history, with the prospect's
// lost reason (on its lost entry).
type Entry struct {
	ProspectID uuid.UUID
	Stage      Stage
	At         time.Time
	LostReason LostReason
}

// FunnelStep is one stage of the pipeline in a funnel.
type FunnelStep struct {
	Stage Stage
	// Reached counts the prospects that entered this stage or a later one of the
	// pipeline (a skipped stage counts as passed).
	Reached int
	// Conversion is Reached over the previous step's Reached (nil for the first step,
	// or when the previous step has none).
	Conversion *float64
	// MedianDays is the median time from entering the previous stage to entering this
	// one, in days, over the prospects that entered both (nil when none did).
	MedianDays *float64
}

// ReasonCount is how many prospects were lost for a reason.
type ReasonCount struct {
	Reason LostReason
	Count  int
}

// Funnel is the pipeline of a cohort of prospects.
type Funnel struct {
	Prospects   int
	Steps       []FunnelStep // one per stage of Pipeline, in order
	Won, Lost   int
	Open        int
	LostReasons []ReasonCount // most frequent first, then by reason
}

// journey is one prospect's first entry into each stage.
type journey struct {
	entered    map[Stage]time.Time
	lostReason LostReason
}

// ComputeFunnel is the funnel of the prospects whose stage history entries are: how
// many reached each stage, the conversion from each stage to the next and the median
// days it took, and how many were won, lost (and why) or are still open. Entries may
// come in any order; a stage entered twice counts from its first entry.
func ComputeFunnel(entries []Entry) Funnel {
	journeys := journeysOf(entries)
	f := Funnel{Prospects: len(journeys), Steps: make([]FunnelStep, len(Pipeline))}
	reasons := map[LostReason]int{}
	for _, j := range journeys {
		switch {
		case !j.entered[StageWon].IsZero():
			f.Won++
		case !j.entered[StageLost].IsZero():
			f.Lost++
			reasons[j.lostReason]++
		default:
			f.Open++
		}
	}
	for i, stage := range Pipeline {
		f.Steps[i] = step(journeys, i, stage)
		if i > 0 && f.Steps[i-1].Reached > 0 {
			c := float64(f.Steps[i].Reached) / float64(f.Steps[i-1].Reached)
			f.Steps[i].Conversion = &c
		}
	}
	f.LostReasons = sortedReasons(reasons)
	return f
}

// journeysOf groups entries by prospect.
func journeysOf(entries []Entry) map[uuid.UUID]*journey {
	out := map[uuid.UUID]*journey{}
	for _, e := range entries {
		j := out[e.ProspectID]
		if j == nil {
			j = &journey{entered: map[Stage]time.Time{}}
			out[e.ProspectID] = j
		}
		if at, ok := j.entered[e.Stage]; !ok || e.At.Before(at) {
			j.entered[e.Stage] = e.At
		}
		if e.Stage == StageLost {
			j.lostReason = e.LostReason
		}
	}
	return out
}

// furthest is the index in Pipeline of the furthest stage a journey entered (-1: none).
func (j *journey) furthest() int {
	for i := len(Pipeline) - 1; i >= 0; i-- {
		if !j.entered[Pipeline[i]].IsZero() {
			return i
		}
	}
	return -1
}

// step counts the journeys that reached stage (the i-th of Pipeline) and the median
// days from the previous stage.
func step(journeys map[uuid.UUID]*journey, i int, stage Stage) FunnelStep {
	s := FunnelStep{Stage: stage}
	var days []float64
	for _, j := range journeys {
		if j.furthest() >= i {
			s.Reached++
		}
		if i == 0 {
			continue
		}
		prev, ok1 := j.entered[Pipeline[i-1]]
		at, ok2 := j.entered[stage]
		if ok1 && ok2 {
			days = append(days, at.Sub(prev).Hours()/24)
		}
	}
	s.MedianDays = median(days)
	return s
}

// median of xs (nil when empty): the middle one, or the mean of the two middle ones.
func median(xs []float64) *float64 {
	if len(xs) == 0 {
		return nil
	}
	slices.Sort(xs)
	m := xs[len(xs)/2]
	if len(xs)%2 == 0 {
		m = (xs[len(xs)/2-1] + m) / 2
	}
	return &m
}

// sortedReasons lists the counts, most frequent first, then by reason.
func sortedReasons(counts map[LostReason]int) []ReasonCount {
	out := make([]ReasonCount, 0, len(counts))
	for r, n := range counts {
		out = append(out, ReasonCount{Reason: r, Count: n})
	}
	slices.SortFunc(out, func(a, b ReasonCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Reason, b.Reason))
	})
	return out
}

// maxFunnelSpan bounds a funnel's period.
const maxFunnelSpan = 3 * 366 * 24 * time.Hour

// Funnel is the funnel of the mall's prospects created in [from, to) (leasing staff or
// an admin of the mall): ComputeFunnel over their stage history.
func (s *Service) Funnel(ctx context.Context, mallID uuid.UUID, from, to time.Time) (Funnel, error) {
	place, err := s.atMall(ctx, mallID)
	if err != nil {
		return Funnel{}, err
	}
	return s.MallFunnel(ctx, place.GroupID, mallID, from, to)
}

// MallFunnel is Funnel without the role check, for a context that checked its own (the
// reports context): the caller has authorized the mall of the group.
func (s *Service) MallFunnel(ctx context.Context, groupID, mallID uuid.UUID, from, to time.Time) (Funnel, error) {
	if !from.Before(to) || to.Sub(from) > maxFunnelSpan {
		return Funnel{}, errs.Invalid("to", "a funnel's period ends after it starts and spans at most 3 years")
	}
	rows, err := queries.New(s.db.Pool).FunnelStages(ctx, queries.FunnelStagesParams{GroupID: groupID,
		MallID: mallID, FromAt: from, ToAt: to})
	if err != nil {
		return Funnel{}, err
	}
	entries := make([]Entry, len(rows))
	for i, r := range rows {
		entries[i] = Entry{ProspectID: r.ProspectID, Stage: Stage(r.ToStage), At: r.At}
		if r.LostReason != nil && entries[i].Stage == StageLost {
			entries[i].LostReason = LostReason(*r.LostReason)
		}
	}
	return ComputeFunnel(entries), nil
}
