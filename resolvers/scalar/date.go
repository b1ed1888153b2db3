package scalar

import (
	"io"
	"strconv"

	"github.com/99designs/gqlgen/graphql"

	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
)

// MarshalCalendarDate writes a civil date as "2006-01-02".
func MarshalCalendarDate(d schedule.Date) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		if d.IsZero() {
			_, _ = io.WriteString(w, "null")
			return
		}
		_, _ = io.WriteString(w, strconv.Quote(d.String()))
	})
}

// errDate is a CalendarDate argument that is not one (BAD_USER_INPUT).
var errDate = errs.ErrInvalid.Msgf("a CalendarDate is a string like \"2026-05-01\"")

// UnmarshalCalendarDate reads "2006-01-02".
func UnmarshalCalendarDate(v any) (schedule.Date, error) {
	s, ok := v.(string)
	if !ok || len(s) != 10 {
		return schedule.Date{}, errDate
	}
	d, err := schedule.ParseDate(s)
	if err != nil {
		return schedule.Date{}, errDate
	}
	return d, nil
}
