package resolvers

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/graph/model"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/members"
)

// profileIn maps the profile input of the members mutations.
func profileIn(p *model.ProfileInput) (members.Profile, error) {
	var out members.Profile
	if p == nil {
		return out, nil
	}
	out.Name, out.Tags, out.Referrer = deref(p.Name), p.Tags, deref(p.Referrer)
	if p.Gender != nil {
		out.Gender = lower(*p.Gender)
	}
	var err error
	if out.Birthday, err = dateIn("input.profile.birthday", p.Birthday); err != nil {
		return out, err
	}
	out.Anniversary, err = dateIn("input.profile.anniversary", p.Anniversary)
	return out, err
}

// dateIn parses an optional YYYY-MM-DD date.
func dateIn(field string, s *string) (*time.Time, error) {
	if s == nil || *s == "" {
		return nil, nil
	}
	t, err := time.Parse(time.DateOnly, *s)
	if err != nil {
		return nil, errs.Invalid(field, "a date must look like 2006-01-02")
	}
	return &t, nil
}

// dateOut formats an optional calendar date as YYYY-MM-DD.
func dateOut(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.Format(time.DateOnly)
	return &s
}

// optGlobalID parses an optional global ID of typeName.
func optGlobalID(typeName string, s *string) (*uuid.UUID, error) {
	if s == nil || *s == "" {
		return nil, nil
	}
	id, err := globalID(typeName, *s)
	return &id, err
}

func memberPayload(m members.Member, err error) (model.MemberPayload, error) {
	ue, err := userErrors(err)
	if err != nil || len(ue) > 0 {
		return model.MemberPayload{UserErrors: ue}, err
	}
	return model.MemberPayload{Member: &m, UserErrors: ue}, nil
}

func cardPayload(c members.Card, err error) (model.CardPayload, error) {
	ue, err := userErrors(err)
	if err != nil || len(ue) > 0 {
		return model.CardPayload{UserErrors: ue}, err
	}
	return model.CardPayload{Card: &c, UserErrors: ue}, nil
}

// cardOp runs one of the simple card operations.
func cardOp(ctx context.Context, op func(context.Context, members.CardOpInput) (members.Card, error),
	in model.CardOperationInput) (model.CardPayload, error) {
	id, err := globalID("Card", in.CardID)
	if err != nil {
		return cardPayload(members.Card{}, err)
	}
	return cardPayload(op(ctx, members.CardOpInput{CardID: id, Reason: in.Reason}))
}

// optCard loads a related card the viewer may see; invisible or missing is null.
func (r *Resolver) optCard(ctx context.Context, id *uuid.UUID) (*members.Card, error) {
	if id == nil {
		return nil, nil
	}
	c, err := r.Members.Card(ctx, *id)
	if errors.Is(err, members.ErrCardNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &c, nil
}

func importRowErrors(in []members.ImportRowError) []model.ImportRowError {
	out := make([]model.ImportRowError, len(in))
	for i, e := range in {
		out[i] = model.ImportRowError{Row: e.Row, Code: e.Code, Message: e.Message}
		if e.Field != "" {
			f := e.Field
			out[i].Field = &f
		}
	}
	return out
}

// importFile imports the file of an importMembers input: its base64 content, or the
// object uploaded under its uploadKey (exactly one of them).
func (r *mutationResolver) importFile(ctx context.Context, mallID uuid.UUID, input model.ImportMembersInput) (members.ImportReport, error) {
	format := lower(input.Format)
	switch {
	case (input.Content == nil) == (input.UploadKey == nil):
		return members.ImportReport{}, errs.Invalid("input.content", "give either content or uploadKey")
	case input.UploadKey != nil:
		return r.Members.ImportMembersFromUpload(ctx, mallID, format, *input.UploadKey)
	case base64.StdEncoding.DecodedLen(len(*input.Content)) > members.MaxImportBytes:
		return members.ImportReport{}, members.ErrImportFormat.Msgf("the file is too large: upload it (startMemberImportUpload)")
	}
	data, err := base64.StdEncoding.DecodeString(*input.Content)
	if err != nil {
		return members.ImportReport{}, errs.Invalid("input.content", "content must be base64")
	}
	return r.Members.ImportMembers(ctx, mallID, format, bytes.NewReader(data))
}

// Node loaders of the members context (node.go).

// NodeMember loads a Member for node(id:).
func (r *Resolver) NodeMember(ctx context.Context, id uuid.UUID) (relay.Node, error) {
	return r.Members.Member(ctx, id)
}

// NodeCard loads a Card for node(id:).
func (r *Resolver) NodeCard(ctx context.Context, id uuid.UUID) (relay.Node, error) {
	return r.Members.Card(ctx, id)
}

// NodeCardType loads a CardType for node(id:).
func (r *Resolver) NodeCardType(ctx context.Context, id uuid.UUID) (relay.Node, error) {
	return r.Members.CardType(ctx, id)
}
