package workorders_test

import (
	"testing"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/workorders"
)

func TestScoreAndPick(t *testing.T) {
	a := uuid.MustParse("00000000-0000-0000-0000-00000000000a")
	b := uuid.MustParse("00000000-0000-0000-0000-00000000000b")
	for _, tc := range []struct {
		name string
		cs   []workorders.Candidate
		want uuid.UUID
	}{
		{"skill beats idleness", []workorders.Candidate{{StaffID: a, Open: 0},
			{StaffID: b, Skills: []string{"plumbing"}, Open: 5}}, b},
		{"zone breaks a skill tie", []workorders.Candidate{{StaffID: a, Skills: []string{"plumbing"}},
			{StaffID: b, Skills: []string{"plumbing"}, Zones: []string{"B1"}}}, b},
		{"a zone is worth three open orders", []workorders.Candidate{{StaffID: a, Open: 0},
			{StaffID: b, Zones: []string{"B1"}, Open: 4}}, a},
		{"less load wins among equals", []workorders.Candidate{{StaffID: a, Open: 2}, {StaffID: b, Open: 1}}, b},
		{"equal score and load: lowest id", []workorders.Candidate{{StaffID: b}, {StaffID: a}}, a},
		{"off shift never competes, however fit", []workorders.Candidate{{StaffID: a, Open: 9},
			{StaffID: b, Skills: []string{"plumbing"}, Zones: []string{"B1"}, OffShift: true}}, a},
		{"on shift and loaded beats off shift and idle", []workorders.Candidate{{StaffID: a, OffShift: true},
			{StaffID: b, Open: 30}}, b},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := workorders.Pick(tc.cs, "plumbing", "B1")
			if !ok || got.StaffID != tc.want {
				t.Fatalf("Pick = %v, %v; want %v", got.StaffID, ok, tc.want)
			}
		})
	}
	if _, ok := workorders.Pick(nil, "plumbing", ""); ok {
		t.Fatal("picked from nobody")
	}
	if _, ok := workorders.Pick([]workorders.Candidate{{StaffID: a, OffShift: true}}, "plumbing", ""); ok {
		t.Fatal("picked someone off shift")
	}
}
