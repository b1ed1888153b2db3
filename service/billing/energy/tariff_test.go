package energy

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/atrium-mall/atrium/service/errs"
)

// TestTariffValidate: each malformed tariff is refused with the field named.
func TestTariffValidate(t *testing.T) {
	t.Parallel()
	day := []Band{{Name: Peak, Price: dec("1"), Hours: []Span{{From: 8 * 60, To: 20 * 60}}},
		{Name: Valley, Price: dec("0.5"), Hours: []Span{{From: 20 * 60, To: 8 * 60}}}}
	tests := []struct {
		name   string
		tariff Tariff
		field  string // "" valid
	}{
		{name: "flat", tariff: Tariff{Kind: Flat, Price: ptr(dec("0.9"))}},
		{name: "flat free", tariff: Tariff{Kind: Flat, Price: ptr(dec("0"))}},
		{name: "tiered", tariff: tariffs["three tiers"]},
		{name: "one tier is flat", tariff: Tariff{Kind: Tiered, Tiers: []Tier{{Price: dec("1")}}}},
		{name: "time of use across midnight", tariff: Tariff{Kind: TimeOfUse, Bands: day}},
		{name: "one band all day", tariff: Tariff{Kind: TimeOfUse, Bands: []Band{{Name: Normal, Price: dec("1"), Hours: []Span{{}}}}}},
		{name: "unknown kind", tariff: Tariff{Kind: "STEP"}, field: "tariff.kind"},
		{name: "flat without price", tariff: Tariff{Kind: Flat}, field: "tariff.price"},
		{name: "flat negative", tariff: Tariff{Kind: Flat, Price: ptr(dec("-1"))}, field: "tariff.price"},
		{name: "flat with tiers", tariff: Tariff{Kind: Flat, Price: ptr(dec("1")), Tiers: []Tier{{Price: dec("1")}}}, field: "tariff"},
		{name: "tiered without tiers", tariff: Tariff{Kind: Tiered}, field: "tariff.tiers"},
		{name: "tiered with a price", tariff: Tariff{Kind: Tiered, Price: ptr(dec("1")), Tiers: []Tier{{Price: dec("1")}}}, field: "tariff"},
		{name: "last tier limited", tariff: Tariff{Kind: Tiered, Tiers: []Tier{{UpTo: ptr(dec("10")), Price: dec("1")}}},
			field: "tariff.tiers.0.upTo"},
		{name: "middle tier unlimited", tariff: Tariff{Kind: Tiered, Tiers: []Tier{{Price: dec("1")}, {Price: dec("2")}}},
			field: "tariff.tiers.0.upTo"},
		{name: "limits not increasing", tariff: Tariff{Kind: Tiered, Tiers: []Tier{{UpTo: ptr(dec("10")), Price: dec("1")},
			{UpTo: ptr(dec("10")), Price: dec("1")}, {Price: dec("2")}}}, field: "tariff.tiers.1.upTo"},
		{name: "first limit zero", tariff: Tariff{Kind: Tiered, Tiers: []Tier{{UpTo: ptr(dec("0")), Price: dec("1")},
			{Price: dec("2")}}}, field: "tariff.tiers.0.upTo"},
		{name: "tier price negative", tariff: Tariff{Kind: Tiered, Tiers: []Tier{{Price: dec("-1")}}}, field: "tariff.tiers.0.price"},
		{name: "time of use without bands", tariff: Tariff{Kind: TimeOfUse}, field: "tariff.bands"},
		{name: "time of use with tiers", tariff: Tariff{Kind: TimeOfUse, Bands: day, Tiers: []Tier{{Price: dec("1")}}}, field: "tariff"},
		{name: "band unknown", tariff: Tariff{Kind: TimeOfUse, Bands: []Band{{Name: "NIGHT", Hours: []Span{{}}}}},
			field: "tariff.bands.0.name"},
		{name: "band twice", tariff: Tariff{Kind: TimeOfUse, Bands: []Band{day[0], day[0]}}, field: "tariff.bands.1.name"},
		{name: "band price negative", tariff: Tariff{Kind: TimeOfUse, Bands: []Band{{Name: Peak, Price: dec("-0.1"),
			Hours: []Span{{}}}}}, field: "tariff.bands.0.price"},
		{name: "band without hours", tariff: Tariff{Kind: TimeOfUse, Bands: []Band{{Name: Peak, Price: dec("1")}}},
			field: "tariff.bands.0.hours"},
		{name: "span out of the day", tariff: Tariff{Kind: TimeOfUse, Bands: []Band{{Name: Peak, Price: dec("1"),
			Hours: []Span{{From: 0, To: 1440}}}}}, field: "tariff.bands.0.hours.0"},
		{name: "bands overlap", tariff: Tariff{Kind: TimeOfUse, Bands: []Band{day[0], {Name: Valley, Price: dec("0.5"),
			Hours: []Span{{From: 19 * 60, To: 8 * 60}}}}}, field: "tariff.bands.1.hours.0"},
		{name: "gap in the day", tariff: Tariff{Kind: TimeOfUse, Bands: []Band{day[0], {Name: Valley, Price: dec("0.5"),
			Hours: []Span{{From: 21 * 60, To: 8 * 60}}}}}, field: "tariff.bands"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.tariff.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			e, ok := errs.As(err)
			if !ok || !errors.Is(err, errs.ErrInvalid) || joinField(e.Field) != tt.field {
				t.Fatalf("error %v, want one at %s", err, tt.field)
			}
		})
	}
}

// TestTariffJSON: the stored shape reads back to the same tariff; clocks are "HH:MM".
func TestTariffJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		json string
	}{
		{name: "flat", json: `{"kind":"FLAT","price":"0.95"}`},
		{name: "tiered", json: `{"kind":"TIERED","tiers":[{"upTo":"1000","price":"0.8"},{"price":"1"}]}`},
		{name: "time of use", json: `{"kind":"TIME_OF_USE","bands":[{"name":"PEAK","price":"1.2","hours":[{"from":"08:00","to":"22:00"}]},` +
			`{"name":"VALLEY","price":"0.4","hours":[{"from":"22:00","to":"08:00"}]}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tr Tariff
			if err := json.Unmarshal([]byte(tt.json), &tr); err != nil {
				t.Fatal(err)
			}
			if err := tr.Validate(); err != nil {
				t.Fatal(err)
			}
			b, err := json.Marshal(tr)
			if err != nil || string(b) != tt.json {
				t.Fatalf("round trip %s, %v", b, err)
			}
		})
	}
	var c Clock
	for _, bad := range []string{`"8:00"`, `"25:00"`, `"12:60"`, `"24:01"`, `"ab:cd"`, `800`} {
		if err := json.Unmarshal([]byte(bad), &c); err == nil {
			t.Errorf("clock %s accepted", bad)
		}
	}
	if err := json.Unmarshal([]byte(`"24:00"`), &c); err != nil || c != 0 {
		t.Errorf("24:00 = %v, %v", c, err)
	}
}
