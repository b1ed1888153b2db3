package members

import (
	"context"
	"io"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/audit"
	"github.com/atrium-mall/atrium/service/errs"
)

// ImportRowError says why one row of an import file was not imported. Row is the
// spreadsheet row number (the header is row 1).
type ImportRowError struct {
	Row     int
	Field   string
	Code    string
	Message string
}

// ImportReport is the outcome of an import: valid rows are in, the others are listed.
type ImportReport struct {
	Imported  int
	MemberIDs []uuid.UUID
	Errors    []ImportRowError
}

// ImportMembers registers the members listed in a CSV or .xlsx file (first row: column
// names, in English or Chinese) as members of the mall's group. Each row is imported
// in its own transaction: a bad row is reported with its row number and reason and
// leaves nothing behind; the good rows are imported. Member operations and admin staff
// of the mall only.
func (s *Service) ImportMembers(ctx context.Context, mallID uuid.UUID, format string, r io.Reader) (ImportReport, error) {
	var rep ImportReport
	mall, err := s.requireMall(ctx, mallID, importRoles)
	if err != nil {
		return rep, err
	}
	rows, err := readTable(format, r)
	if err != nil {
		return rep, err
	}
	if len(rows) == 0 {
		return rep, ErrImportFormat.Msgf("the file is empty")
	}
	if len(rows) > MaxImportRows+1 {
		return rep, ErrImportFormat.Msgf("at most %d rows per file", MaxImportRows)
	}
	cols, err := header(rows[0])
	if err != nil {
		return rep, err
	}
	for i, row := range rows[1:] {
		if blank(row) {
			continue
		}
		id, err := s.importRow(ctx, mall.GroupID, mallID, cols, row)
		if err != nil {
			if e, ok := errs.As(err); !ok || e.Kind != errs.KindUser {
				return rep, err
			}
			rep.Errors = append(rep.Errors, rowError(i+2, err))
			continue
		}
		rep.Imported++
		rep.MemberIDs = append(rep.MemberIDs, id)
	}
	return rep, s.audit(ctx, s.db.Pool, audit.Entry{Action: "member.import", Entity: "mall", EntityID: mallID, MallID: mallID,
		Details: map[string]any{"imported": rep.Imported, "failed": len(rep.Errors), "format": format}})
}

func (s *Service) importRow(ctx context.Context, group, mall uuid.UUID, cols map[int]string, row []string) (uuid.UUID, error) {
	p, err := parseRow(cols, row)
	if err != nil {
		return uuid.Nil, err
	}
	if p.SourceChannel == "" {
		p.SourceChannel = ChannelImport
	}
	if p, err = normalize(p, "", true, s.now()); err != nil {
		return uuid.Nil, err
	}
	var m Member
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		m, err = s.insertMember(ctx, tx, group, mall, p, "")
		return err
	})
	return m.ID, err
}
