package resolvers

import (
	"bytes"
	"context"
	"encoding/base64"

	"github.com/atrium-mall/atrium/graph/model"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/alliance"
	"github.com/atrium-mall/atrium/service/alliance/points"
	"github.com/atrium-mall/atrium/service/errs"
)

func allianceMerchantOut(m alliance.Merchant) model.AllianceMerchant {
	return model.AllianceMerchant{ID: relay.ID("AllianceMerchant", m.ID), MallID: relay.ID("Mall", m.MallID), Code: m.Code,
		Name: m.Name, ContactName: m.ContactName, ContactPhone: m.ContactPhone, UnitAmount: m.Ratio.Unit,
		PointsPerUnit: m.Ratio.PerUnit, Rounding: model.AllianceRounding(m.Ratio.Rounding), Active: m.Active,
		CreatedAt: m.CreatedAt}
}

func allianceRunOut(r alliance.Run) model.AllianceRun {
	errsOut := make([]model.AllianceRowError, len(r.Errors))
	for i, e := range r.Errors {
		errsOut[i] = model.AllianceRowError{Line: e.Line, Code: e.Code, Message: e.Message}
		if e.Field != "" {
			f := e.Field
			errsOut[i].Field = &f
		}
	}
	return model.AllianceRun{ID: relay.ID("AllianceRun", r.ID), MerchantID: relay.ID("AllianceMerchant", r.MerchantID),
		Status: model.AllianceRunStatus(r.Status), Format: r.Format, RowsRead: r.RowsRead, RowsImported: r.RowsImported,
		RowsDuplicate: r.RowsDuplicate, RowsFailed: r.RowsFailed, Amount: r.Amount, Points: r.Points, RowErrors: errsOut,
		CreatedAt: r.CreatedAt, RevertedAt: r.RevertedAt, ClawedBack: r.ClawedBack, Shortfall: r.Shortfall}
}

func allianceInput(in model.AllianceMerchantInput) (alliance.MerchantInput, error) {
	out := alliance.MerchantInput{Name: in.Name, Active: in.Active == nil || *in.Active,
		Ratio: points.Ratio{Unit: in.UnitAmount, PerUnit: in.PointsPerUnit, Rounding: points.Rounding(in.Rounding)}}
	if in.MallID != nil {
		id, err := globalID("Mall", *in.MallID)
		if err != nil {
			return out, err
		}
		out.MallID = id
	}
	if in.Code != nil {
		out.Code = *in.Code
	}
	if in.ContactName != nil {
		out.ContactName = *in.ContactName
	}
	if in.ContactPhone != nil {
		out.ContactPhone = *in.ContactPhone
	}
	return out, nil
}

func allianceMerchantPayload(m alliance.Merchant, err error) (model.AllianceMerchantPayload, error) {
	ue, err := userErrors(err)
	if err != nil || len(ue) > 0 {
		return model.AllianceMerchantPayload{UserErrors: ue}, err
	}
	out := allianceMerchantOut(m)
	return model.AllianceMerchantPayload{Merchant: &out, UserErrors: ue}, nil
}

func allianceRunPayload(r alliance.Run, err error) (model.AllianceRunPayload, error) {
	ue, err := userErrors(err)
	if err != nil || len(ue) > 0 {
		return model.AllianceRunPayload{UserErrors: ue}, err
	}
	out := allianceRunOut(r)
	return model.AllianceRunPayload{Run: &out, UserErrors: ue}, nil
}

// allianceImport decodes the base64 content of an importAllianceConsumption input and
// imports it.
func (r *mutationResolver) allianceImport(ctx context.Context, input model.ImportAllianceConsumptionInput) (alliance.Run, error) {
	id, err := globalID("AllianceMerchant", input.MerchantID)
	if err != nil {
		return alliance.Run{}, err
	}
	if base64.StdEncoding.DecodedLen(len(input.Content)) > alliance.MaxImportBytes {
		return alliance.Run{}, alliance.ErrImportFormat.Msgf("the file is too large")
	}
	data, err := base64.StdEncoding.DecodeString(input.Content)
	if err != nil {
		return alliance.Run{}, errs.Invalid("input.content", "content must be base64")
	}
	return r.Alliance.Import(ctx, id, lower(input.Format), bytes.NewReader(data))
}

func allianceFirst(first *int) int {
	if first == nil {
		return 0
	}
	return *first
}
