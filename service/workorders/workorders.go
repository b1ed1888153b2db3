// Package workorders is the property-services desk (工单报修): repair and complaint
// orders raised by tenants, shoppers, staff and devices, dispatched to technicians,
// worked through a typed status machine, and measured against an SLA.
//
// Design notes:
//   - The SLA is never stored. An order's timeline (raise, priority changes, first
//     response, pauses, resolutions, reopens) is read from wo_events and wo_pauses and
//     handed to sla.Evaluate with the mall's policy and business calendar (timelineOf is a
//     pure function with its own table test). What is shown, what escalates and when the
//     breach job looks again all come from that one report.
//   - The breach job (CheckArgs) is keyed by (order, instant) and River inserts it unique
//     by its arguments, inside the transaction of the event that moved the clock (raise,
//     accept, pause, resume, priority change, resolve, reopen). A job that runs after the
//     timeline changed simply re-evaluates and schedules Report.NextCheck; chains started
//     by different events converge because NextCheck is a function of the timeline, and
//     the unique key merges them. Escalations are rows keyed by (order, clock, level)
//     inserted ON CONFLICT DO NOTHING, so reruns, stale jobs and two app instances record
//     each once: level 1 at the 80 % warning (the supervisor, SUPERVISOR), level 2 at the
//     breach (the manager, ADMIN).
//   - Calendars and policies are per mall and seeded on first use (ensureMall): weekday
//     hours 09:00–18:00 Monday to Friday, this year's and next year's statutory days from
//     business.StatutoryDays into the editable wo_holidays table, and the default policy
//     (category '*'): URGENT 5 min / 2 h around the clock, NORMAL 30 min / 1 business day,
//     LOW 4 h / 3 business days, where a business day is the 9 business hours of a
//     default day.
//   - Device alarms: one open order per (source, kind) — a device id or a checkpoint id
//     with "offline", "meter_backwards" or "patrol_missed" — by a unique partial index
//     over open statuses; a repeat increments repeat_count through INSERT … ON CONFLICT
//     DO UPDATE, so a burst of identical alarms is one order whatever the interleaving.
//     A number taken by an insert that lost the race is skipped (numbers may have gaps).
//   - Dispatch is a documented score (see Score and Pick): skill, zone and open load among
//     the mall's MAINTENANCE staff (SECURITY for security categories, SERVICE_DESK for
//     customer-service tickets), only those on shift now when the mall keeps a roster
//     for the role (service/rosters).
//   - Customer service (客服事件): complaints, suggestions, consultations and praise are
//     orders of their own categories in the same flow, dispatched to the service desk;
//     shoppers raise complaints and suggestions from the mini-program, desk staff record
//     phone calls and visits as tickets (RecordTicket, with the caller). After closing, a
//     return visit (回访) records the requester's satisfaction once (RecordReturnVisit);
//     a low satisfaction, like a low rating at confirmation, opens a follow-up for the
//     desk.
//   - Who may do what: staff of the mall with MAINTENANCE, SECURITY, SERVICE_DESK or
//     ADMIN see the mall's orders and raise them (for a merchant of the mall too); the
//     desk and admins assign, reprioritise and cancel, and may act for a technician;
//     technicians accept (an order assigned to them, or claim an open one), and the
//     assignee starts, pauses, resumes and resolves; the requester (its merchant's
//     TENANT_ADMIN/MERCHANT_STAFF, the shopper, the staff member) confirms, reopens and
//     cancels before work starts. Anyone else gets NOT_FOUND for an order (it is not
//     theirs to know about) and FORBIDDEN for a mall.
//   - A cancelled order's clocks stop at the cancellation (the timeline reads it as a
//     resolution), so its report stays stable and no job is scheduled for it.
package workorders

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/notices"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/rosters"
	"github.com/atrium-mall/atrium/service/state"
	"github.com/atrium-mall/atrium/service/workorders/sla"
	"github.com/atrium-mall/atrium/storage"
)

// Deps are what the context is built from; all are required.
type Deps struct {
	DB      *storage.DB
	Org     *org.Service     // malls and merchants (access), staff holding a role at a mall (dispatch)
	Notices *notices.Service // escalations told to the role they go to
	Units   Units            // where a unit is and who holds it (leasing)
	Rosters *rosters.Service // who is on shift (dispatch)
	Redis   *storage.Redis   // real-time order events (pub/sub)
	Now     func() time.Time
}

// Units says which mall a unit is in and which merchant holds it on a day: the leasing
// context (leasing.Service.UnitHolder).
type Units interface {
	UnitHolder(ctx context.Context, unitID uuid.UUID, day time.Time) (mallID, holder uuid.UUID, err error)
}

// JobInserter enqueues a job in a transaction (the River client).
type JobInserter interface {
	InsertTx(ctx context.Context, tx pgx.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
}

// Service is the work-orders context.
type Service struct {
	db      *storage.DB
	org     *org.Service
	notices *notices.Service
	units   Units
	rosters *rosters.Service
	redis   *storage.Redis
	now     func() time.Time
	jobs    JobInserter
}

// New returns the service.
func New(d Deps) *Service {
	service.MustDeps("workorders", d)
	return &Service{db: d.DB, org: d.Org, notices: d.Notices, units: d.Units, rosters: d.Rosters, redis: d.Redis,
		now: d.Now}
}

// SetJobs gives the service the job queue (built after the services, whose workers call
// them). Until it is set, events that move an SLA clock fail.
func (s *Service) SetJobs(j JobInserter) { s.jobs = j }

// Status is where an order stands.
type Status string

// The statuses.
const (
	Open       Status = "OPEN"
	Assigned   Status = "ASSIGNED"
	Accepted   Status = "ACCEPTED"
	InProgress Status = "IN_PROGRESS"
	Waiting    Status = "WAITING"
	Resolved   Status = "RESOLVED"
	Closed     Status = "CLOSED"
	Cancelled  Status = "CANCELLED"
)

// Event is what happens to an order.
type Event string

// The events of the machine (notes and priority changes leave the status alone).
const (
	EvAssign  Event = "assign"
	EvAccept  Event = "accept"
	EvStart   Event = "start"
	EvPause   Event = "pause"
	EvResume  Event = "resume"
	EvResolve Event = "resolve"
	EvConfirm Event = "confirm"
	EvReopen  Event = "reopen"
	EvCancel  Event = "cancel"
)

// Machine is the order's transition table.
var Machine = state.New("work order", ErrTransition, map[Event]map[Status]Status{
	EvAssign:  {Open: Assigned, Assigned: Assigned, Accepted: Assigned},
	EvAccept:  {Open: Accepted, Assigned: Accepted},
	EvStart:   {Accepted: InProgress},
	EvPause:   {InProgress: Waiting},
	EvResume:  {Waiting: InProgress},
	EvResolve: {InProgress: Resolved},
	EvConfirm: {Resolved: Closed},
	EvReopen:  {Resolved: InProgress},
	EvCancel:  {Open: Cancelled, Assigned: Cancelled, Accepted: Cancelled, InProgress: Cancelled, Waiting: Cancelled},
})

// Source is who raised an order.
type Source string

// The sources.
const (
	FromTenant  Source = "TENANT"
	FromShopper Source = "SHOPPER"
	FromStaff   Source = "STAFF"
	FromDevice  Source = "DEVICE"
)

// Channel is where an order came in.
type Channel string

// The channels.
const (
	ViaApp         Channel = "APP"          // the tenant or staff app
	ViaMiniProgram Channel = "MINI_PROGRAM" // a shopper
	ViaPhone       Channel = "PHONE"        // a call the desk recorded
	ViaWalkIn      Channel = "WALK_IN"      // a visit to the desk
	ViaDevice      Channel = "DEVICE"       // an alarm
)

// PauseReason is why the clocks stop.
type PauseReason string

// The pause reasons.
const (
	WaitTenant PauseReason = "TENANT"
	WaitParts  PauseReason = "PARTS"
)

// Sentinel errors.
var (
	ErrTransition   = errs.New(errs.KindUser, "WORK_ORDER_TRANSITION", "the work order cannot do that now")
	ErrTaken        = errs.New(errs.KindUser, "WORK_ORDER_TAKEN", "another technician has accepted the work order")
	ErrNotAssignee  = errs.New(errs.KindUser, "WORK_ORDER_NOT_ASSIGNEE", "the work order is assigned to someone else")
	ErrNoTechnician = errs.New(errs.KindUser, "NO_TECHNICIAN", "no technician is available for the work order")
	ErrRating       = errs.New(errs.KindUser, "INVALID_RATING", "a rating is 1 to 5")
	ErrReason       = errs.New(errs.KindUser, "INVALID_PAUSE_REASON", "a pause waits for the tenant or for parts")
	ErrVisited      = errs.New(errs.KindUser, "RETURN_VISIT_RECORDED", "the order's return visit is recorded already")
	ErrNotClosed    = errs.New(errs.KindUser, "WORK_ORDER_NOT_CLOSED", "a return visit follows a closed order")
)

// Order is a work order.
type Order struct {
	ID                uuid.UUID
	GroupID, MallID   uuid.UUID
	Number            int64
	Category          string
	Priority          sla.Priority
	Source            Source
	Channel           Channel
	Contact           string // the caller of a desk ticket (name, phone)
	RequesterStaff    *uuid.UUID
	RequesterMerchant *uuid.UUID
	RequesterMember   *uuid.UUID
	UnitID            *uuid.UUID
	Zone              string
	Description       string
	Photos            []string
	Status            Status
	Assignee          *uuid.UUID
	OpenedAt          time.Time
	RespondedAt       *time.Time
	ResolvedAt        *time.Time
	ClosedAt          *time.Time
	Rating            *int
	FollowUpOf        *uuid.UUID
	AlarmSource       *string
	AlarmKind         *string
	RepeatCount       int
	AlarmClearedAt    *time.Time
	UpdatedAt         time.Time
}

// staffRoles see a mall's orders.
var staffRoles = []auth.Role{auth.RoleAdmin, auth.RoleSupervisor, auth.RoleServiceDesk, auth.RoleMaintenance,
	auth.RoleSecurity}

// deskRoles assign, reassign, cancel and change priorities.
var deskRoles = []auth.Role{auth.RoleAdmin, auth.RoleSupervisor, auth.RoleServiceDesk}

// techRoles accept and work orders.
var techRoles = []auth.Role{auth.RoleMaintenance, auth.RoleSecurity}
