package members

import (
	"errors"
	"testing"
	"time"

	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/page"
)

func TestSearchMembers(t *testing.T) {
	f := setup(t)
	var all []Member
	for i := range 7 {
		f.clock.Add(24 * time.Hour)
		tags := []string{"all"}
		if i%2 == 0 {
			tags = append(tags, "even")
		}
		all = append(all, f.member(func(p *Profile) { p.Tags = tags }))
	}
	tier := newID()
	f.exec(`INSERT INTO loyalty_tiers (id, group_id, code, name, rank, threshold) VALUES ($1, $2, 'GOLD', 'Gold', 1, 1000)`, tier, f.groupA)
	f.exec(`UPDATE members SET tier_id = $1 WHERE id = $2 OR id = $3`, tier, all[1].ID, all[5].ID)
	withCard := all[3]
	card := f.card(withCard, "UID-3")
	f.exec(`INSERT INTO members (id, group_id, name, phone, registered_at) VALUES ($1, $2, 'B', $3, now())`,
		newID(), f.groupB, all[0].Phone) // group B's member with the same phone stays invisible
	ids := func(ms []Member) []string {
		out := make([]string, len(ms))
		for i, m := range ms {
			out[i] = m.Phone
		}
		return out
	}
	day := func(i int) *time.Time { d := f.stdTime.Add(time.Duration(i) * 24 * time.Hour); return &d }
	cases := []struct {
		name string
		f    MemberFilter
		want []Member
	}{
		{"all", MemberFilter{}, all},
		{"phone", MemberFilter{Phone: all[2].Phone}, all[2:3]},
		{"phone prefix", MemberFilter{Phone: all[0].Phone[:7]}, all},
		{"card number", MemberFilter{CardNumber: card.Number}, []Member{withCard}},
		{"tag", MemberFilter{Tag: "even"}, []Member{all[0], all[2], all[4], all[6]}},
		{"registered from", MemberFilter{RegisteredFrom: day(5)}, all[4:]},
		{"registered range", MemberFilter{RegisteredFrom: day(2), RegisteredTo: day(4)}, all[1:3]},
		{"tier", MemberFilter{TierID: tier}, []Member{all[1], all[5]}},
		{"explicit group", MemberFilter{GroupID: f.groupA, Tag: "nobody"}, nil},
	}
	for _, c := range cases {
		res, err := f.svc.SearchMembers(f.deskA, c.f, page.Request{First: 100})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got, want := ids(res.Items), ids(c.want); len(got) != len(want) || (len(got) > 0 && !equal(got, want)) {
			t.Errorf("%s: got %v, want %v", c.name, got, want)
		}
	}
	// Keyset pages of 3: 3 + 3 + 1, in order, no overlap.
	var seen []Member
	p := page.Request{First: 3}
	for {
		res, err := f.svc.SearchMembers(f.opsA, MemberFilter{}, p)
		if err != nil {
			t.Fatal(err)
		}
		seen = append(seen, res.Items...)
		if !res.HasNext {
			break
		}
		p.After = res.Items[len(res.Items)-1].ID
	}
	if !equal(ids(seen), ids(all)) {
		t.Fatalf("pages: %v", ids(seen))
	}
	refusals := []struct {
		name string
		ctx  any
		f    MemberFilter
		want error
	}{
		{"other group's desk", f.deskB, MemberFilter{GroupID: f.groupA}, errs.ErrForbidden},
		{"merchant staff", f.merchantStaffA, MemberFilter{}, errs.ErrForbidden},
		{"shopper", f.anonymous, MemberFilter{}, errs.ErrUnauthenticated},
		{"bad phone", f.deskA, MemberFilter{Phone: "13x"}, errs.ErrInvalid},
	}
	for _, c := range refusals {
		if _, err := f.svc.SearchMembers(ctxOf(c.ctx), c.f, page.Request{First: 10}); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	res, _ := f.svc.SearchMembers(f.deskB, MemberFilter{}, page.Request{First: 10})
	if len(res.Items) != 1 {
		t.Fatalf("group B sees %d", len(res.Items))
	}
	if _, err := f.svc.Member(f.deskB, all[0].ID); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("group B staff reading a group A member: %v", err)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
