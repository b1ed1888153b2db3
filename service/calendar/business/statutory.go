package business

import (
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"
)

// StatutoryDays returns the mainland China statutory days off and make-up working days
// (调休) dated in year, from lunar-go's holiday data (HolidayUtil, State Council
// notices since 2002), sorted by date. Name is the festival's Chinese name (春节,
// 国庆节, ...). A year the data does not cover yet returns no rows: the editable table
// then needs the notice typed in by hand. The rows are a seed, not a rule: the mall's
// own table is what New is built from.
func StatutoryDays(year int) []Day {
	l := HolidayUtil.GetHolidaysByYear(year)
	out := make([]Day, 0, l.Len())
	for e := l.Front(); e != nil; e = e.Next() {
		if d, ok := statutoryDay(e.Value.(*HolidayUtil.Holiday), year); ok {
			out = append(out, d)
		}
	}
	return out
}

func statutoryDay(h *HolidayUtil.Holiday, year int) (Day, bool) {
	t, err := time.Parse(time.DateOnly, h.GetDay())
	if err != nil || t.Year() != year {
		return Day{}, false
	}
	k := Off
	if h.IsWork() {
		k = Work
	}
	return Day{Date: t, Name: h.GetName(), Kind: k}, true
}
