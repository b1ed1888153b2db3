package energy

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/errs"
)

// Kind is a tariff's kind.
type Kind string

// The tariff kinds.
const (
	Flat      Kind = "FLAT"
	Tiered    Kind = "TIERED"
	TimeOfUse Kind = "TIME_OF_USE"
)

// BandName names a time-of-use band.
type BandName string

// The time-of-use bands (尖峰平谷).
const (
	Sharp  BandName = "SHARP"  // 尖峰
	Peak   BandName = "PEAK"   // 峰
	Normal BandName = "FLAT"   // 平
	Valley BandName = "VALLEY" // 谷
)

// Tariff prices consumption. It is stored as JSONB exactly as it marshals, e.g.
//
//	{"kind":"FLAT","price":"0.95"}
//	{"kind":"TIERED","tiers":[{"upTo":"1000","price":"0.8"},{"price":"1.0"}]}
//	{"kind":"TIME_OF_USE","bands":[{"name":"PEAK","price":"1.2","hours":[{"from":"08:00","to":"22:00"}]},
//	    {"name":"VALLEY","price":"0.4","hours":[{"from":"22:00","to":"08:00"}]}]}
type Tariff struct {
	Kind Kind `json:"kind"`
	// Price is the FLAT price per unit (kWh, m³); only for FLAT.
	Price *decimal.Decimal `json:"price,omitempty"`
	// Tiers are TIERED's bands of one period's consumption, in increasing order; the
	// last has no UpTo (everything above).
	Tiers []Tier `json:"tiers,omitempty"`
	// Bands are TIME_OF_USE's bands of the local day.
	Bands []Band `json:"bands,omitempty"`
}

// Tier is one band of a block tariff: the consumption above the previous tier's UpTo
// (0 for the first) up to and including UpTo (nil: no limit) costs Price per unit.
type Tier struct {
	UpTo  *decimal.Decimal `json:"upTo,omitempty"`
	Price decimal.Decimal  `json:"price"`
}

// Band is one time-of-use band: its price per unit and the spans of the local day it
// covers.
type Band struct {
	Name  BandName        `json:"name"`
	Price decimal.Decimal `json:"price"`
	Hours []Span          `json:"hours"`
}

// Span is a run of the local day from From (included) to To (excluded); a To not after
// From crosses midnight, and From = To is the whole day.
type Span struct {
	From Clock `json:"from"`
	To   Clock `json:"to"`
}

// Clock is a time of the local day in minutes after midnight (0–1439). JSON: "HH:MM"
// ("24:00" reads as 00:00).
type Clock int

// String is "HH:MM".
func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// MarshalJSON writes "HH:MM".
func (c Clock) MarshalJSON() ([]byte, error) { return json.Marshal(c.String()) }

// UnmarshalJSON reads "HH:MM".
func (c *Clock) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if len(s) != 5 || s[2] != ':' {
		return fmt.Errorf("energy: clock %q: want HH:MM", s)
	}
	h, err1 := strconv.Atoi(s[:2])
	m, err2 := strconv.Atoi(s[3:])
	if err1 != nil || err2 != nil || h > 24 || m > 59 || (h == 24 && m != 0) {
		return fmt.Errorf("energy: clock %q: want HH:MM", s)
	}
	*c = Clock((h*60 + m) % minutesPerDay)
	return nil
}

const minutesPerDay = 24 * 60

// Validate checks the tariff; an error is an *errs.Error (INVALID_INPUT) naming the
// field, rooted at "tariff" (e.g. tariff.tiers.1.upTo).
func (t Tariff) Validate() error {
	switch t.Kind {
	case Flat:
		if t.Price == nil {
			return errs.Invalid("tariff.price", "a flat tariff needs its price")
		}
		if t.Price.IsNegative() {
			return errs.Invalid("tariff.price", "a price must not be negative")
		}
		if len(t.Tiers) > 0 || len(t.Bands) > 0 {
			return errs.Invalid("tariff", "a flat tariff has neither tiers nor bands")
		}
		return nil
	case Tiered:
		if t.Price != nil || len(t.Bands) > 0 {
			return errs.Invalid("tariff", "a tiered tariff has tiers only")
		}
		return validateTiers(t.Tiers)
	case TimeOfUse:
		if t.Price != nil || len(t.Tiers) > 0 {
			return errs.Invalid("tariff", "a time-of-use tariff has bands only")
		}
		_, err := dayOf(t.Bands)
		return err
	}
	return errs.Invalid("tariff.kind", "a tariff is FLAT, TIERED or TIME_OF_USE, not %q", t.Kind)
}

func validateTiers(tiers []Tier) error {
	if len(tiers) == 0 {
		return errs.Invalid("tariff.tiers", "a tiered tariff needs at least one tier")
	}
	prev := decimal.Zero
	for i, tr := range tiers {
		path := "tariff.tiers." + strconv.Itoa(i)
		last := i == len(tiers)-1
		switch {
		case tr.Price.IsNegative():
			return errs.Invalid(path+".price", "a price must not be negative")
		case last && tr.UpTo != nil:
			return errs.Invalid(path+".upTo", "the last tier has no upper limit")
		case !last && tr.UpTo == nil:
			return errs.Invalid(path+".upTo", "only the last tier has no upper limit")
		case !last && !tr.UpTo.GreaterThan(prev):
			return errs.Invalid(path+".upTo", "tier limits increase (above %s)", prev)
		}
		if tr.UpTo != nil {
			prev = *tr.UpTo
		}
	}
	return nil
}

// day maps every minute of the local day to the index of its band.
type day [minutesPerDay]int

// dayOf checks that the bands cover every minute of the day exactly once, with known
// distinct names and prices not negative, and returns the map.
func dayOf(bands []Band) (*day, error) {
	if len(bands) == 0 {
		return nil, errs.Invalid("tariff.bands", "a time-of-use tariff needs at least one band")
	}
	var d day
	for m := range d {
		d[m] = -1
	}
	seen := map[BandName]bool{}
	for i, b := range bands {
		path := "tariff.bands." + strconv.Itoa(i)
		switch {
		case b.Name != Sharp && b.Name != Peak && b.Name != Normal && b.Name != Valley:
			return nil, errs.Invalid(path+".name", "a band is SHARP, PEAK, FLAT or VALLEY, not %q", b.Name)
		case seen[b.Name]:
			return nil, errs.Invalid(path+".name", "band %s is listed twice", b.Name)
		case b.Price.IsNegative():
			return nil, errs.Invalid(path+".price", "a price must not be negative")
		case len(b.Hours) == 0:
			return nil, errs.Invalid(path+".hours", "a band needs at least one span of the day")
		}
		seen[b.Name] = true
		for j, s := range b.Hours {
			sp := path + ".hours." + strconv.Itoa(j)
			if s.From < 0 || s.From >= minutesPerDay || s.To < 0 || s.To >= minutesPerDay {
				return nil, errs.Invalid(sp, "a span runs between 00:00 and 23:59")
			}
			n := (int(s.To) - int(s.From) + minutesPerDay) % minutesPerDay
			if n == 0 {
				n = minutesPerDay
			}
			for k := 0; k < n; k++ {
				m := (int(s.From) + k) % minutesPerDay
				if d[m] >= 0 {
					return nil, errs.Invalid(sp, "%s–%s overlaps another span at %s", s.From, s.To, Clock(m))
				}
				d[m] = i
			}
		}
	}
	for m, b := range d {
		if b < 0 {
			return nil, errs.Invalid("tariff.bands", "no band covers %s: the bands cover the whole day", Clock(m))
		}
	}
	return &d, nil
}
