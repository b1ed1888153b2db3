package resolvers

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/graph/model"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/brands"
	"github.com/atrium-mall/atrium/service/errs"
)

// brandOut maps a brand; contacts, attachments and prospects are resolved on demand.
func brandOut(b brands.Brand) model.Brand {
	return model.Brand{ID: relay.ID("Brand", b.ID), GroupID: relay.ID("Group", b.GroupID), Name: b.Name,
		NormalizedName: b.NormalizedName, Category: upper[model.BrandCategory](string(b.Category)),
		Grade: model.BrandGrade(b.Grade), Notes: b.Notes, CreatedAt: b.CreatedAt, UpdatedAt: b.UpdatedAt}
}

func brandPayload(b brands.Brand, err error) (model.BrandPayload, error) {
	ue, err := userErrors(err)
	if err != nil || len(ue) > 0 {
		return model.BrandPayload{UserErrors: ue}, err
	}
	out := brandOut(b)
	return model.BrandPayload{Brand: &out, UserErrors: ue}, nil
}

func brandFilterIn(name *string, category *model.BrandCategory, grade *model.BrandGrade) brands.BrandFilter {
	var f brands.BrandFilter
	if name != nil {
		f.Name = *name
	}
	if category != nil {
		f.Category = brands.Category(lower(*category))
	}
	if grade != nil {
		f.Grade = brands.Grade(*grade)
	}
	return f
}

func contactOut(c brands.Contact) model.BrandContact {
	return model.BrandContact{ID: c.ID.String(), Name: c.Name, Role: c.Role, Phone: c.Phone, Email: c.Email}
}

// attachmentOut maps an attachment with a fresh download URL.
func (r *Resolver) attachmentOut(ctx context.Context, a brands.Attachment) (model.BrandAttachment, error) {
	url, err := r.Brands.AttachmentURL(ctx, a)
	return model.BrandAttachment{ID: a.ID.String(), Filename: a.Filename, ContentType: a.ContentType, Size: int(a.Size),
		URL: url, CreatedAt: a.CreatedAt}, err
}

// prospectOut maps a prospect; its brand, history and follow-ups are resolved on demand.
func prospectOut(p brands.Prospect) model.Prospect {
	out := model.Prospect{ID: relay.ID("Prospect", p.ID), MallID: relay.ID("Mall", p.MallID),
		BrandID: relay.ID("Brand", p.BrandID), WantedArea: p.WantedArea, OwnerID: relay.ID("Staff", p.OwnerID),
		Stage: upper[model.ProspectStage](string(p.Stage)), LostNote: p.LostNote, CreatedAt: p.CreatedAt,
		UpdatedAt: p.UpdatedAt, WantedUnitIds: make([]string, len(p.WantedUnitIDs))}
	for i, u := range p.WantedUnitIDs {
		out.WantedUnitIds[i] = relay.ID("Unit", u)
	}
	if p.LostReason != "" {
		r := upper[model.LostReason](string(p.LostReason))
		out.LostReason = &r
	}
	if p.ContractID != nil {
		c := relay.ID("Contract", *p.ContractID)
		out.ContractID = &c
	}
	return out
}

func prospectPayload(p brands.Prospect, err error) (model.ProspectPayload, error) {
	ue, err := userErrors(err)
	if err != nil || len(ue) > 0 {
		return model.ProspectPayload{UserErrors: ue}, err
	}
	out := prospectOut(p)
	return model.ProspectPayload{Prospect: &out, UserErrors: ue}, nil
}

// prospectIn maps createProspect's input; a malformed id is INVALID_INPUT at its field.
func prospectIn(in model.CreateProspectInput) (brands.ProspectInput, error) {
	out := brands.ProspectInput{WantedArea: in.WantedArea}
	var err error
	if out.MallID, err = globalID("Mall", in.MallID); err != nil {
		return out, errs.Invalid("input.mallId", "not a Mall ID")
	}
	if out.BrandID, err = globalID("Brand", in.BrandID); err != nil {
		return out, errs.Invalid("input.brandId", "not a Brand ID")
	}
	if out.OwnerID, err = globalID("Staff", in.OwnerID); err != nil {
		return out, errs.Invalid("input.ownerId", "not a Staff ID")
	}
	out.WantedUnitIDs = make([]uuid.UUID, len(in.WantedUnitIds))
	for i, u := range in.WantedUnitIds {
		if out.WantedUnitIDs[i], err = globalID("Unit", u); err != nil {
			return out, errs.Invalid("input.wantedUnitIds", "not a Unit ID: %q", u)
		}
	}
	return out, nil
}

func prospectFilterIn(stage *model.ProspectStage, ownerID *string) (brands.ProspectFilter, error) {
	var f brands.ProspectFilter
	if stage != nil {
		f.Stage = brands.Stage(lower(*stage))
	}
	if ownerID != nil {
		id, err := globalID("Staff", *ownerID)
		if err != nil {
			return f, err
		}
		f.OwnerID = id
	}
	return f, nil
}

func stageChangeOut(c brands.StageChange) model.ProspectStageChange {
	out := model.ProspectStageChange{To: upper[model.ProspectStage](string(c.To)), At: c.At}
	if c.From != "" {
		f := upper[model.ProspectStage](string(c.From))
		out.From = &f
	}
	if c.ActorID != nil {
		a := relay.ID("Staff", *c.ActorID)
		out.ActorID = &a
	}
	return out
}

// followUpIn maps addFollowUp's input; nextOn is a date (YYYY-MM-DD).
func followUpIn(in model.AddFollowUpInput) (brands.FollowUp, error) {
	id, err := globalID("Prospect", in.ProspectID)
	if err != nil {
		return brands.FollowUp{}, errs.Invalid("input.prospectId", "not a Prospect ID")
	}
	f := brands.FollowUp{ProspectID: id, Kind: brands.FollowUpKind(lower(in.Kind)), Note: in.Note}
	if in.NextOn != nil {
		d, err := time.Parse(time.DateOnly, *in.NextOn)
		if err != nil {
			return f, errs.Invalid("input.nextOn", "a date is YYYY-MM-DD")
		}
		f.NextOn = &d
	}
	return f, nil
}

func followUpOut(f brands.FollowUp) model.FollowUp {
	out := model.FollowUp{ID: f.ID.String(), Kind: upper[model.FollowUpKind](string(f.Kind)), Note: f.Note, At: f.At}
	if f.NextOn != nil {
		d := f.NextOn.Format(time.DateOnly)
		out.NextOn = &d
	}
	if f.ByID != nil {
		b := relay.ID("Staff", *f.ByID)
		out.ByID = &b
	}
	return out
}

func funnelOut(mallID string, from, to time.Time, f brands.Funnel) model.Funnel {
	out := model.Funnel{MallID: mallID, From: from, To: to, Prospects: f.Prospects, Won: f.Won, Lost: f.Lost, Open: f.Open,
		Steps: make([]model.FunnelStep, len(f.Steps)), LostReasons: make([]model.LostReasonCount, len(f.LostReasons))}
	for i, s := range f.Steps {
		out.Steps[i] = model.FunnelStep{Stage: upper[model.ProspectStage](string(s.Stage)), Reached: s.Reached,
			Conversion: s.Conversion, MedianDays: s.MedianDays}
	}
	for i, r := range f.LostReasons {
		out.LostReasons[i] = model.LostReasonCount{Reason: upper[model.LostReason](string(r.Reason)), Count: r.Count}
	}
	return out
}

// Node loaders of the brands context (node.go).

// NodeBrand loads a Brand for node(id:).
func (r *Resolver) NodeBrand(ctx context.Context, id uuid.UUID) (relay.Node, error) {
	b, err := r.Brands.Brand(ctx, id)
	return brandOut(b), err
}

// NodeProspect loads a Prospect for node(id:).
func (r *Resolver) NodeProspect(ctx context.Context, id uuid.UUID) (relay.Node, error) {
	p, err := r.Brands.Prospect(ctx, id)
	return prospectOut(p), err
}
