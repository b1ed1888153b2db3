package resolvers

import (
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/graph/model"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/arrivals"
	"github.com/atrium-mall/atrium/service/devices"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/meters"
	"github.com/atrium-mall/atrium/service/patrol"
)

// inputID parses a global ID of typeName given at an input field (e.g. "input.mallId"),
// or returns an INVALID_INPUT error naming that field.
func inputID(field, typeName, id string) (uuid.UUID, error) {
	u, err := relay.ParseAs(typeName, id)
	if err != nil {
		return uuid.Nil, errs.Invalid(field, "%q is not a %s ID", id, typeName)
	}
	return u, nil
}

// mapAll maps a slice with a converter.
func mapAll[T, U any](in []T, f func(T) U) []U {
	out := make([]U, len(in))
	for i, v := range in {
		out[i] = f(v)
	}
	return out
}

func deviceOut(d devices.Device) model.Device {
	out := model.Device{ID: d.ID, MallID: relay.ID("Mall", d.MallID), Type: string(d.Type), Name: d.Name, Zone: d.Zone,
		Location: d.Location, BindingKind: d.BindingKind, BindingRef: d.BindingRef, Enabled: d.Enabled, Online: d.Online,
		LastSeenAt: d.LastSeenAt, CreatedAt: d.CreatedAt}
	if d.MeterKind != "" {
		k := d.MeterKind
		out.MeterKind = &k
	}
	return out
}

func deadLetterOut(l devices.DeadLetter) model.DeadLetter {
	out := model.DeadLetter{ID: l.ID.String(), Topic: l.Topic, Payload: strings.ToValidUTF8(string(l.Payload), "\uFFFD"),
		Reason: l.Reason, ReceivedAt: l.ReceivedAt}
	if l.DeviceID != "" {
		id := l.DeviceID
		out.DeviceID = &id
	}
	return out
}

// deadLetterPage reads first (1-200, default 50) and the after id.
func deadLetterPage(first *int, after *string) (uuid.UUID, int, error) {
	n := 50
	if first != nil {
		if *first < 1 || *first > 200 {
			return uuid.Nil, 0, errs.Invalid("first", "first must be between 1 and 200")
		}
		n = *first
	}
	if after == nil || *after == "" {
		return uuid.Nil, n, nil
	}
	id, err := uuid.Parse(*after)
	if err != nil {
		return uuid.Nil, 0, errs.Invalid("after", "after must be a dead letter id")
	}
	return id, n, nil
}

func alarmOut(a devices.Alarm) model.DeviceAlarm {
	return model.DeviceAlarm{ID: a.ID.String(), DeviceID: a.DeviceID, RaisedAt: a.RaisedAt}
}

func usageOut(u meters.Usage) model.MeterUsage {
	return model.MeterUsage{Amount: u.Amount, Partial: u.Partial, Estimated: u.Estimated, MaxGapSeconds: int(u.MaxGap.Seconds())}
}

func missOut(m patrol.Miss) model.PatrolMiss {
	return model.PatrolMiss{ID: m.ID.String(), RouteID: m.RouteID.String(), RoundStart: m.RoundStart, Seq: m.Seq,
		CheckpointID: m.CheckpointID.String(), DueBy: m.DueBy}
}

func vipOut(a arrivals.Arrival) model.VipArrival {
	out := model.VipArrival{ID: a.ID.String(), MemberID: relay.ID("Member", a.MemberID), Entrance: a.Entrance, At: a.At}
	if a.SnapshotKey != "" {
		k := a.SnapshotKey
		out.SnapshotKey = &k
	}
	if a.SnapshotURL != "" {
		u := a.SnapshotURL
		out.SnapshotURL = &u
	}
	return out
}

func readingOut(r meters.Reading) model.MeterReading {
	return model.MeterReading{At: r.At, Value: r.Value, EventID: r.EventID, Flag: r.Flag}
}

func checkpointOut(c patrol.Checkpoint) model.PatrolCheckpoint {
	return model.PatrolCheckpoint{ID: c.ID.String(), MallID: relay.ID("Mall", c.MallID), Tag: c.Tag, Place: c.Place}
}

func routeOut(r patrol.Route) model.PatrolRoute {
	out := model.PatrolRoute{ID: r.ID.String(), MallID: relay.ID("Mall", r.MallID), Name: r.Name, RoundStarts: r.RoundStarts,
		Points: make([]model.PatrolRoutePoint, len(r.Points))}
	if out.RoundStarts == nil {
		out.RoundStarts = []int{}
	}
	for i, p := range r.Points {
		out.Points[i] = model.PatrolRoutePoint{Seq: i + 1, CheckpointID: p.CheckpointID.String(), FromMinute: p.FromMin,
			ToMinute: p.ToMin}
	}
	return out
}

// routeInput maps createPatrolRoute's input to the service's route.
func routeInput(in model.CreatePatrolRouteInput) (patrol.Route, error) {
	mall, err := inputID("input.mallId", "Mall", in.MallID)
	if err != nil {
		return patrol.Route{}, err
	}
	r := patrol.Route{MallID: mall, Name: in.Name, RoundStarts: in.RoundStarts, Points: make([]patrol.Point, len(in.Points))}
	for i, p := range in.Points {
		id, err := uuid.Parse(p.CheckpointID)
		if err != nil {
			return r, errs.Invalid("input.points."+strconv.Itoa(i)+".checkpointId", "%q is not a checkpoint id", p.CheckpointID)
		}
		r.Points[i] = patrol.Point{CheckpointID: id, FromMin: p.FromMinute, ToMin: p.ToMinute}
	}
	return r, nil
}

func replacementOut(r meters.MeterReplacement) model.MeterReplacement {
	return model.MeterReplacement{DeviceID: r.DeviceID, At: r.At, OldFinal: r.OldFinal, NewStart: r.NewStart, Note: r.Note,
		CreatedAt: r.CreatedAt}
}

func consentOut(c arrivals.Consent) model.FaceConsent {
	return model.FaceConsent{GrantedAt: c.GrantedAt, RevokedAt: c.RevokedAt, Active: c.Active(), NoticeVersion: c.NoticeVersion}
}

// consentPayload is the payload of grantFaceConsent and revokeFaceConsent.
func consentPayload(c arrivals.Consent, err error) (model.FaceConsentPayload, error) {
	ue, err := userErrors(err)
	if err != nil || len(ue) > 0 {
		return model.FaceConsentPayload{UserErrors: ue}, err
	}
	out := consentOut(c)
	return model.FaceConsentPayload{Consent: &out, UserErrors: ue}, nil
}
