package schedule

import "testing"

// BenchmarkLines20Years: a 20-year lease (the longest allowed) with escalations, an
// abatement, a management fee, an amendment and 保底+扣点 with 240 months of sales.
func BenchmarkLines20Years(b *testing.B) {
	c := contract(func(t *Terms) {
		t.End = D(2045, 12, 31)
		t.ManagementFee = dec("20")
		t.Billing.Frequency = Quarterly
		t.PercentRent = pct("0.08", PctGuaranteedMinimum, "")
		t.Abatements = []Abatement{abate(AbateRentFree, CodeRent, D(2026, 1, 1), D(2026, 3, 31), "100")}
		for n := 1; n < 20; n++ {
			t.Escalations = append(t.Escalations, Escalation{Kind: StepPercent, Value: dec("3"), Anniversary: n})
		}
	})
	c = amended(c, D(2030, 7, 16), func(t *Terms) { t.ManagementFee = dec("22") })
	sales := salesOf2(D(2026, 1, 1), 240, "150000")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Lines(c, sales, D(2046, 12, 31)); err != nil {
			b.Fatal(err)
		}
	}
}
