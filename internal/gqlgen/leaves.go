package main

import (
	"bytes"
	"fmt"
	"go/types"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/codegen"
)

// A leaf is a field gqlgen resolves by reading a struct field and marshalling it with
// a scalar's plain marshal function: `kind`, `memo`, `at`, `points` of a card's
// movement, the `id`, `number` and `status` of a card. gqlgen runs each through its
// general field path (graphql.ResolveField): a FieldContext, a context value, a
// deferred recover, the result boxed twice, two closures — about half of the
// allocations of a member-home request, which marshals some 250 such fields.
//
// For each leaf the plugin writes a fast path in front of gqlgen's: marshal the struct
// field with the scalar's marshal function and return it, unless that is null (a zero
// time, say), which goes the full path so the "must not be null" error carries the
// field's own path. The fast path sees no field interceptor, so the server refuses
// one (server.NewGraphQL); leaves have no arguments, directives or resolver, so
// gqlgen's path would run nothing else. A panic in a scalar's marshal function is
// caught by the enclosing field's or list element's recover instead of the leaf's.
type leaf struct {
	fn     string // gqlgen's field function, _Type_field
	field  string // the struct field read, obj.<field>
	helper string // the leafN… function marshalling it (serial.generated.go)
}

// leafHelper is one marshal function the leaves use, under the name of gqlgen's
// marshaller it stands for (marshalNString2string → leafNString2string).
type leafHelper struct {
	name, param, call string
}

// findLeaves picks the leaves of the schema's objects and the helpers they call,
// qualifying the helpers' types and functions through q.
func findLeaves(objects codegen.Objects, q *qualifier) ([]leaf, []leafHelper) {
	var leaves []leaf
	helpers := map[string]leafHelper{}
	for _, o := range objects {
		if o.Root || !plainStruct(o.Type) {
			continue
		}
		for _, f := range o.Fields {
			ref := f.TypeReference
			if f.IsResolver || f.GoFieldType != codegen.GoFieldVariable || len(f.Args) > 0 || len(f.Directives) > 0 ||
				ref == nil || ref.Definition == nil || !ref.IsScalar() || ref.IsSlice() || !ref.GQL.NonNull ||
				ref.IsNilable() || ref.IsTargetNilable() || ref.IsMarshaler || ref.IsContext || ref.Marshaler == nil ||
				ref.CastType != nil || ref.HasEnumValues() || !directField(o.Type, f.GoFieldName) {
				continue
			}
			name := "leaf" + strings.TrimPrefix(ref.MarshalFunc(), "marshal")
			if _, ok := helpers[name]; !ok {
				call := ref.Marshaler.Name()
				if pkg := q.qualify(ref.Marshaler.Pkg()); pkg != "" {
					call = pkg + "." + call
				}
				helpers[name] = leafHelper{name: name, param: types.TypeString(ref.GO, q.qualify), call: call}
			}
			leaves = append(leaves, leaf{fn: "_" + o.Name + "_" + f.Name, field: f.GoFieldName, helper: name})
		}
	}
	out := make([]leafHelper, 0, len(helpers))
	for _, h := range helpers {
		out = append(out, h)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return leaves, out
}

// plainStruct: the object is bound to a struct type (fields read as obj.X).
func plainStruct(t types.Type) bool {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	_, ok := t.Underlying().(*types.Struct)
	return ok
}

// directField: obj.name reaches the field without following a pointer (an embedded
// *T could be nil, and the fast path has no recover).
func directField(t types.Type, name string) bool {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	obj, _, indirect := types.LookupFieldOrMethod(t, false, nil, name)
	v, ok := obj.(*types.Var)
	return ok && v.IsField() && !indirect
}

// writeLeafHelpers writes the helpers into serial.generated.go.
func writeLeafHelpers(b *bytes.Buffer, helpers []leafHelper) {
	for _, h := range helpers {
		fmt.Fprintf(b, "\n// %s marshals without a field context (a leaf's fast path).\nfunc %s(v %s) graphql.Marshaler { return %s(v) }\n",
			h.name, h.name, h.param, h.call)
	}
}

// addLeafPath puts the fast path at the top of each leaf's field function in src,
// having checked that gqlgen's body reads the same struct field with no middleware.
// It returns the new source and the leaves it found there.
func addLeafPath(src []byte, leaves []leaf) ([]byte, []string, error) {
	var found []string
	for _, l := range leaves {
		head := []byte("func (ec *executionContext) " + l.fn + "(ctx context.Context, field graphql.CollectedField, obj ")
		at := bytes.Index(src, head)
		if at < 0 {
			continue
		}
		open := bytes.Index(src[at:], []byte("{\n"))
		end := bytes.Index(src[at:], []byte("\n}\n"))
		if open < 0 || end < open {
			return nil, nil, fmt.Errorf("%s: no body", l.fn)
		}
		body := src[at+open : at+end]
		if !bytes.Contains(body, []byte("return obj."+l.field+", nil\n\t\t},\n\t\tnil,\n")) {
			return nil, nil, fmt.Errorf("%s: gqlgen's body does not read obj.%s without middleware", l.fn, l.field)
		}
		fast := "\tif res := " + l.helper + "(obj." + l.field + "); res != graphql.Null {\n\t\treturn res\n\t}\n"
		src = slices.Concat(src[:at+open+2], []byte(fast), src[at+open+2:])
		found = append(found, l.fn)
	}
	return src, found, nil
}

// qualifier names the packages the helpers refer to, and lists their imports.
type qualifier struct {
	self    string            // the exec package's path
	fixed   map[string]bool   // import paths serial.generated.go always has
	aliases map[string]string // import path → name used
	used    map[string]string // name → import path
}

func newQualifier(self string) *qualifier {
	q := &qualifier{self: self, aliases: map[string]string{}, fixed: map[string]bool{}, used: map[string]string{
		"context": "context", "graphql": "github.com/99designs/gqlgen/graphql",
		"ast": "github.com/vektah/gqlparser/v2/ast", "gqlserial": "github.com/atrium-mall/atrium/internal/gqlserial"}}
	for name, path := range q.used {
		q.aliases[path], q.fixed[path] = name, true
	}
	return q
}

func (q *qualifier) qualify(p *types.Package) string {
	if p.Path() == q.self {
		return ""
	}
	if a, ok := q.aliases[p.Path()]; ok {
		return a
	}
	name := p.Name()
	for i := 2; ; i++ {
		if path, taken := q.used[name]; !taken || path == p.Path() {
			break
		}
		name = p.Name() + strconv.Itoa(i)
	}
	q.aliases[p.Path()], q.used[name] = name, p.Path()
	return name
}

// imports lists the helpers' packages beside the table's own: the standard
// library's and the others', each one per line.
func (q *qualifier) imports() (std, other string) {
	paths := make([]string, 0, len(q.aliases))
	for p := range q.aliases {
		if !q.fixed[p] {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	var s, o strings.Builder
	for _, p := range paths {
		b := &o
		if !strings.Contains(strings.Split(p, "/")[0], ".") {
			b = &s
		}
		if a := q.aliases[p]; a != lastElem(p) {
			fmt.Fprintf(b, "\t%s %s\n", a, strconv.Quote(p))
		} else {
			fmt.Fprintf(b, "\t%s\n", strconv.Quote(p))
		}
	}
	return s.String(), o.String()
}

func lastElem(path string) string {
	return path[strings.LastIndex(path, "/")+1:]
}
