package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// root is the module root (two levels above this package).
func root(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		t.Fatalf("module root not found at %s", dir)
	}
	return dir
}

// walk calls fn for every file below the root whose name matches keep, skipping
// .git, .local and data folders.
func walk(t *testing.T, keep func(rel string) bool, fn func(rel, path string)) {
	t.Helper()
	top := root(t)
	err := filepath.WalkDir(top, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(top, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			switch rel {
			case ".git", ".local", "data", "node_modules":
				return filepath.SkipDir
			}
			return nil
		}
		if keep(rel) {
			fn(rel, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

var sqlInGo = regexp.MustCompile(`\b(SELECT\s|INSERT\s+INTO\s|UPDATE\s+[a-z_]+\s+SET\s|DELETE\s+FROM\s|CREATE\s+(TABLE|INDEX|DATABASE|EXTENSION)\s|DROP\s+(TABLE|DATABASE|INDEX)\s|ALTER\s+(TABLE|DATABASE)\s|TRUNCATE\s|COPY\s+[a-z_]+\s)`)

// TestNoInlineSQL: hand-written, non-test Go holds no SQL statement; SQL lives in the
// sqlc query files (service/<ctx>/internal/queries/*.sql, storage/internal/queries).
func TestNoInlineSQL(t *testing.T) {
	seen := map[string]bool{}
	walk(t, func(rel string) bool {
		return strings.HasSuffix(rel, ".go") && !strings.HasSuffix(rel, "_test.go") && !strings.HasPrefix(rel, "graph/")
	}, func(rel, path string) {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			return
		}
		if ast.IsGenerated(f) {
			return
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil || !sqlInGo.MatchString(s) {
				return true
			}
			if _, ok := dynamicSQL[rel]; ok {
				seen[rel] = true
				return true
			}
			t.Errorf("%s: SQL in hand-written Go (move it to the context's queries/*.sql): %.80q",
				fset.Position(lit.Pos()), s)
			return true
		})
	})
	for rel := range dynamicSQL {
		if !seen[rel] {
			t.Errorf("dynamicSQL lists %s, which holds no SQL any more: remove it", rel)
		}
	}
}

var (
	lineComment = regexp.MustCompile(`--[^\n]*`)
	writeRe     = regexp.MustCompile(`(?i)\b(?:INSERT\s+INTO|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+([a-z_][a-z0-9_]*)|(?i)(?:^|[^a-z_])(?:FOR|DO|ON)?\s*\bUPDATE\s+([a-z_][a-z0-9_]*)\s+(?:AS\s+[a-z_]+\s+|[a-z_]+\s+)?SET\b`)
	readRe      = regexp.MustCompile(`(?i)\b(?:FROM|JOIN|USING)\s+([a-z_][a-z0-9_]*)`)
	tableDDLRe  = regexp.MustCompile(`(?i)CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?([a-z_][a-z0-9_]*)|DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?([a-z_][a-z0-9_]*(?:\s*,\s*[a-z_][a-z0-9_]*)*)`)
	contextRe   = regexp.MustCompile(`^(?:service/([a-z]+)|(storage))/internal/queries/[^/]+\.sql$`)
)

// tables returns every table the migrations create (partitions of a parent are
// created as tables too; they inherit the parent's owner by prefix).
// tables is every table the migrations leave: created by an Up section and not dropped
// by a later one (WalkDir goes in file order, which is migration order).
func tables(t *testing.T) map[string]bool {
	out := map[string]bool{}
	walk(t, func(rel string) bool {
		return strings.HasPrefix(rel, "storage/migrations/") && strings.HasSuffix(rel, ".sql")
	},
		func(rel, path string) {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			up, _, _ := strings.Cut(string(b), "-- +goose Down")
			for _, m := range tableDDLRe.FindAllStringSubmatch(up, -1) {
				if m[1] != "" {
					out[strings.ToLower(m[1])] = true
					continue
				}
				for _, name := range strings.Split(m[2], ",") {
					delete(out, strings.ToLower(strings.TrimSpace(name)))
				}
			}
		})
	return out
}

// ownerOf is the owner of a table, a partition taking its parent's (meter_readings_2026 → meter_readings).
func ownerOf(table string) (string, bool) {
	if o, ok := owners[table]; ok {
		return o, true
	}
	for parent, o := range owners {
		if strings.HasPrefix(table, parent+"_") {
			return o, true
		}
	}
	return "", false
}

// queryUse is what one context's query files write and read.
type queryUse struct{ writes, reads map[string][]string } // table → files

func queryUses(t *testing.T, known map[string]bool) map[string]*queryUse {
	uses := map[string]*queryUse{}
	walk(t, func(rel string) bool { return contextRe.MatchString(rel) }, func(rel, path string) {
		m := contextRe.FindStringSubmatch(rel)
		ctx := m[1] + m[2]
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		sql := lineComment.ReplaceAllString(string(b), "")
		u := uses[ctx]
		if u == nil {
			u = &queryUse{writes: map[string][]string{}, reads: map[string][]string{}}
			uses[ctx] = u
		}
		for _, w := range writeRe.FindAllStringSubmatch(sql, -1) {
			if tbl := strings.ToLower(w[1] + w[2]); known[tbl] {
				u.writes[tbl] = append(u.writes[tbl], rel)
			}
		}
		for _, r := range readRe.FindAllStringSubmatch(sql, -1) {
			if tbl := strings.ToLower(r[1]); known[tbl] {
				u.reads[tbl] = append(u.reads[tbl], rel)
			}
		}
	})
	return uses
}

// TestTableOwners: every table has an owner, and only its owner's queries write it.
func TestTableOwners(t *testing.T) {
	known := tables(t)
	for tbl := range known {
		if _, ok := ownerOf(tbl); !ok {
			t.Errorf("table %s has no owner in internal/archtest/owners.go (and the README)", tbl)
		}
	}
	for tbl := range owners {
		if !known[tbl] {
			t.Errorf("owners.go names %s, which no migration creates", tbl)
		}
	}
	for ctx, u := range queryUses(t, known) {
		for tbl, files := range u.writes {
			if o, _ := ownerOf(tbl); o != ctx {
				t.Errorf("context %s writes %s, owned by %s (%s): call the owner's service instead", ctx, tbl, o, files[0])
			}
		}
	}
}

// TestCrossContextReads: a context's queries read another context's tables only where
// crossReads lists it, and every listed read still exists.
func TestCrossContextReads(t *testing.T) {
	uses := queryUses(t, tables(t))
	for ctx, u := range uses {
		for tbl, files := range u.reads {
			o, _ := ownerOf(tbl)
			if o == ctx {
				continue
			}
			if _, ok := crossReads[ctx][tbl]; !ok {
				t.Errorf("context %s reads %s, owned by %s (%s): call the owner, or list it in crossReads with why",
					ctx, tbl, o, files[0])
			}
		}
	}
	for ctx, tbls := range crossReads {
		for tbl := range tbls {
			if uses[ctx] == nil || uses[ctx].reads[tbl] == nil {
				t.Errorf("crossReads lists %s reading %s, which it no longer does: remove it", ctx, tbl)
			}
		}
	}
}

var readmeRow = regexp.MustCompile("(?m)^\\|\\s*`([a-z_]+)`\\s*\\|\\s*([a-z]+)\\s*\\|")

// TestREADMEOwners: the README's table → owner list says what owners.go says.
func TestREADMEOwners(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	start := strings.Index(text, "## Table owners")
	if start < 0 {
		t.Fatal(`README.md has no "## Table owners" section`)
	}
	section := text[start:]
	if end := strings.Index(section[3:], "\n## "); end >= 0 {
		section = section[:end+3]
	}
	inReadme := map[string]string{}
	for _, m := range readmeRow.FindAllStringSubmatch(section, -1) {
		inReadme[m[1]] = m[2]
	}
	var problems []string
	for tbl, o := range owners {
		if inReadme[tbl] != o {
			problems = append(problems, tbl+": owners.go says "+o+", README says "+strconv.Quote(inReadme[tbl]))
		}
	}
	for tbl := range inReadme {
		if _, ok := owners[tbl]; !ok {
			problems = append(problems, tbl+": in the README, not in owners.go")
		}
	}
	sort.Strings(problems)
	for _, p := range problems {
		t.Error(p)
	}
}

var migrationName = regexp.MustCompile(`^(\d+)_[a-z0-9_]+\.sql$`)

// lastNumbered is the last migration numbered by context ranges; every later one is
// named by its UTC creation time (YYYYMMDDHHMMSS), so parallel work cannot collide and
// no range can fill.
const lastNumbered = 37

// TestMigrationNames: versions are unique; after 00037 they are timestamps.
func TestMigrationNames(t *testing.T) {
	seen := map[int64]string{}
	walk(t, func(rel string) bool {
		return strings.HasPrefix(rel, "storage/migrations/") && strings.HasSuffix(rel, ".sql")
	},
		func(rel, _ string) {
			name := filepath.Base(rel)
			m := migrationName.FindStringSubmatch(name)
			if m == nil {
				t.Errorf("%s: a migration is named <version>_<snake_case>.sql", rel)
				return
			}
			v, _ := strconv.ParseInt(m[1], 10, 64)
			if other, dup := seen[v]; dup {
				t.Errorf("%s and %s share version %d", name, other, v)
			}
			seen[v] = name
			if v > lastNumbered && (len(m[1]) != 14 || !strings.HasPrefix(m[1], "20")) {
				t.Errorf("%s: new migrations are named by UTC time, YYYYMMDDHHMMSS_name.sql (e.g. 20261201120000_leasing.sql)", name)
			}
		})
}
