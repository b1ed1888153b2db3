package resolvers

import (
	"bytes"
	"context"
	"encoding/base64"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/graph/model"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/notices"
	"github.com/atrium-mall/atrium/service/sales"
)

// reportInput maps a reportSales input: exactly one of day and month.
func reportInput(in model.ReportSalesInput) (sales.ReportInput, error) {
	id, err := globalID("Merchant", in.MerchantID)
	out := sales.ReportInput{MerchantID: id, Amount: in.Amount}
	if err != nil {
		return out, err
	}
	var ok bool
	switch {
	case (in.Day == nil) == (in.Month == nil):
		return out, errs.Invalid("input.day", "give either day or month")
	case in.Day != nil:
		out.Period = sales.PeriodDay
		out.Day, ok = sales.ParseDay(*in.Day)
	default:
		out.Period = sales.PeriodMonth
		out.Day, ok = sales.ParseMonth(*in.Month)
	}
	if !ok {
		return out, errs.Invalid("input."+string(out.Period), "day is YYYY-MM-DD, month YYYY-MM")
	}
	return out, nil
}

// importScope maps the mallId or merchantId (exactly one) of an import.
func importScope(mallID, merchantID *string) (sales.ImportInput, error) {
	var in sales.ImportInput
	var err error
	switch {
	case (mallID == nil) == (merchantID == nil):
		return in, errs.Invalid("input.mallId", "give either mallId or merchantId")
	case mallID != nil:
		in.MallID, err = globalID("Mall", *mallID)
	default:
		in.MerchantID, err = globalID("Merchant", *merchantID)
	}
	return in, err
}

// importSales imports the file of an importSales input: its base64 content, or the
// object uploaded under its uploadKey (exactly one of them).
func (r *mutationResolver) importSales(ctx context.Context, in model.ImportSalesInput) (sales.ImportReport, error) {
	si, err := importScope(in.MallID, in.MerchantID)
	if err != nil {
		return sales.ImportReport{}, err
	}
	si.Format = lower(in.Format)
	switch {
	case (in.Content == nil) == (in.UploadKey == nil):
		return sales.ImportReport{}, errs.Invalid("input.content", "give either content or uploadKey")
	case in.UploadKey != nil:
		return r.Sales.ImportFromUpload(ctx, si, *in.UploadKey)
	case base64.StdEncoding.DecodedLen(len(*in.Content)) > sales.MaxImportBytes:
		return sales.ImportReport{}, sales.ErrImportFormat.Msgf("the file is too large: upload it (startSalesImportUpload)")
	}
	data, err := base64.StdEncoding.DecodeString(*in.Content)
	if err != nil {
		return sales.ImportReport{}, errs.Invalid("input.content", "content must be base64")
	}
	return r.Sales.Import(ctx, si, bytes.NewReader(data))
}

// salesBase reads the base of a mall's merchants or of one merchant.
func (r *queryResolver) salesBase(ctx context.Context, mallID, merchantID *string, month string) ([]sales.Base, error) {
	m, ok := sales.ParseMonth(month)
	if !ok {
		return nil, errs.Invalid("month", "month is YYYY-MM")
	}
	switch {
	case (mallID == nil) == (merchantID == nil):
		return nil, errs.Invalid("mallId", "give either mallId or merchantId")
	case mallID != nil:
		id, err := globalID("Mall", *mallID)
		if err != nil {
			return nil, err
		}
		return r.Sales.MallBase(ctx, id, m)
	}
	id, err := globalID("Merchant", *merchantID)
	if err != nil {
		return nil, err
	}
	b, err := r.Sales.MerchantBase(ctx, id, m)
	return []sales.Base{b}, err
}

// dayRange parses a from..to range of days.
func dayRange(from, to string) (time.Time, time.Time, error) {
	f, ok1 := sales.ParseDay(from)
	t, ok2 := sales.ParseDay(to)
	if !ok1 || !ok2 {
		return f, t, errs.Invalid("from", "from and to are days, YYYY-MM-DD")
	}
	return f, t, nil
}

func salesReport(s sales.Sale) model.SalesReport {
	return model.SalesReport{ID: relay.ID("SalesReport", s.ID), MerchantID: relay.ID("Merchant", s.MerchantID),
		Period: upper[model.SalesPeriod](string(s.Period)), Day: s.Day.Format(time.DateOnly), Amount: s.Amount,
		Source: upper[model.SalesSource](string(s.Source)), ReportedBy: relay.ID("Staff", s.ReportedBy),
		ReportedAt: s.ReportedAt}
}

func salesReports(in []sales.Sale) []model.SalesReport {
	out := make([]model.SalesReport, len(in))
	for i, s := range in {
		out[i] = salesReport(s)
	}
	return out
}

func salesBaseOf(b sales.Base) model.SalesBase {
	return model.SalesBase{MerchantID: relay.ID("Merchant", b.MerchantID), MerchantCode: b.MerchantCode,
		MerchantName: b.MerchantName, Month: b.Month.Format("2006-01"), Declared: b.Declared,
		DeclaredBy: upper[model.DeclaredBy](string(b.DeclaredBy)), DaysReported: b.DaysReported, Verified: b.Verified,
		GapAmount: b.Gap.Amount, GapPercent: b.Gap.Percent, Flagged: b.Gap.Flagged}
}

func salesRowErrors(in []sales.RowError) []model.SalesImportRowError {
	out := make([]model.SalesImportRowError, len(in))
	for i, e := range in {
		out[i] = model.SalesImportRowError{Line: e.Line, Code: e.Code, Message: e.Message}
		if e.Field != "" {
			f := e.Field
			out[i].Field = &f
		}
	}
	return out
}

// noticeIDs parses StaffNotice global ids.
func noticeIDs(in []string) ([]uuid.UUID, error) {
	out := make([]uuid.UUID, len(in))
	for i, s := range in {
		id, err := globalID("StaffNotice", s)
		if err != nil {
			return nil, err
		}
		out[i] = id
	}
	return out, nil
}

// staffNotice maps a notice for myNotices.
func staffNotice(n notices.Notice) model.StaffNotice {
	out := model.StaffNotice{ID: relay.ID("StaffNotice", n.ID), MallID: relay.ID("Mall", n.MallID),
		Audience: upper[model.Role](string(n.Audience)), Kind: n.Kind, Text: n.Text, CreatedAt: n.CreatedAt, Read: n.Read}
	if n.SubjectID != uuid.Nil {
		s := n.SubjectID.String()
		out.SubjectID = &s
	}
	return out
}
