package members

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/org/orgtest"
	"github.com/atrium-mall/atrium/storage"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// BenchmarkImportMembers imports CSV files of 50 rows and reports rows per second and
// the ratio of its time to a baseline measured in the same run: the same rows as bare
// single-row INSERT transactions (the floor for "each row atomic").
func BenchmarkImportMembers(b *testing.B) {
	const rows = 50
	db := storetest.DB(b)
	ctx := context.Background()
	group, mall := service.NewID(), service.NewID()
	if _, err := db.Pool.Exec(ctx, `INSERT INTO org_groups (id, code, name) VALUES ($1, 'BG', 'BG');`, group); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `INSERT INTO malls (id, group_id, code, name) VALUES ($1, $2, 'BM', 'BM')`, mall, group); err != nil {
		b.Fatal(err)
	}
	objs, err := storage.NewLocalObjects(b.TempDir(), "http://127.0.0.1/objects", []byte("k"))
	if err != nil {
		b.Fatal(err)
	}
	svc := New(Deps{DB: db, Objects: objs, WeChat: auth.NewWeChat("http://127.0.0.1:1", "app", "secret", nil),
		Org: orgtest.Service(db), Ledger: &fakeLedger{}, Now: time.Now})
	staff := auth.WithViewer(ctx, &auth.Viewer{Kind: auth.KindStaff, ID: service.NewID(),
		Grants: []auth.Grant{{Role: auth.RoleMemberOps, Level: auth.LevelGroup, ScopeID: group}}})
	file := func(i int) []byte {
		var buf bytes.Buffer
		buf.WriteString("name,phone,tags\n")
		for r := range rows {
			fmt.Fprintf(&buf, "M%d,13%09d,a;b\n", r, i*rows+r)
		}
		return buf.Bytes()
	}
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		rep, err := svc.ImportMembers(staff, mall, FormatCSV, bytes.NewReader(file(i)))
		if err != nil || rep.Imported != rows {
			b.Fatalf("import: %d, %v %v", rep.Imported, err, rep.Errors)
		}
	}
	imported := time.Since(start)
	b.StopTimer()
	start = time.Now()
	for i := 0; i < b.N; i++ {
		for r := range rows {
			err := db.InTx(ctx, func(tx pgx.Tx) error {
				_, err := tx.Exec(ctx, `INSERT INTO members (id, group_id, name, phone, registered_at) VALUES ($1, $2, 'x', $3, now())`,
					service.NewID(), group, fmt.Sprintf("15%09d", i*rows+r))
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	baseline := time.Since(start)
	b.ReportMetric(float64(b.N*rows)/imported.Seconds(), "rows/s")
	b.ReportMetric(imported.Seconds()/baseline.Seconds(), "x-baseline")
}
