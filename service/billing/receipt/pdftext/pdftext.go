// Package pdftext extracts the text of the PDFs gopdf writes with Type0 fonts
// (Identity-H, two-byte glyph ids) that carry a ToUnicode map, such as receipts: tests
// use it to read what a receipt says. It understands only that much PDF: objects,
// Flate streams, the fonts named in the resources, bfchar/bfrange maps, and the Tf and
// TJ/Tj operators of content streams; each BT…ET block becomes one line.
package pdftext

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

var (
	objRE      = regexp.MustCompile(`(?s)(\d+) 0 obj(.*?)endobj`)
	streamRE   = regexp.MustCompile(`(?s)stream\r?\n(.*?)\r?\nendstream`)
	fontRefRE  = regexp.MustCompile(`/(F\d+) (\d+) 0 R`)
	toUniRE    = regexp.MustCompile(`/ToUnicode (\d+) 0 R`)
	contentsRE = regexp.MustCompile(`/Contents\s+(\d+) 0 R`)
	rangeRE    = regexp.MustCompile(`<([0-9A-Fa-f]+)><([0-9A-Fa-f]+)><([0-9A-Fa-f]+)>`)
	tokenRE    = regexp.MustCompile(`/(F\d+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]*)>|\bET\b`)
)

type object struct {
	dict   string
	stream []byte
}

// Extract returns the text of pdf, one line per text block.
func Extract(pdf []byte) (string, error) {
	objs := map[string]object{}
	for _, m := range objRE.FindAllSubmatch(pdf, -1) {
		o := object{dict: string(m[2])}
		if s := streamRE.FindSubmatch(m[2]); s != nil {
			o.dict = string(m[2][:bytes.Index(m[2], []byte("stream"))])
			o.stream = s[1]
			if strings.Contains(o.dict, "FlateDecode") {
				r, err := zlib.NewReader(bytes.NewReader(s[1]))
				if err != nil {
					return "", fmt.Errorf("pdftext: object %s: %w", m[1], err)
				}
				if o.stream, err = io.ReadAll(r); err != nil {
					return "", fmt.Errorf("pdftext: object %s: %w", m[1], err)
				}
			}
		}
		objs[string(m[1])] = o
	}
	cmaps := map[string]map[uint16]rune{}
	for _, o := range objs {
		for _, f := range fontRefRE.FindAllStringSubmatch(o.dict, -1) {
			if u := toUniRE.FindStringSubmatch(objs[f[2]].dict); u != nil {
				cmaps[f[1]] = cmap(objs[u[1]].stream)
			}
		}
	}
	var out strings.Builder
	for _, o := range objs {
		c := contentsRE.FindStringSubmatch(o.dict)
		if c == nil {
			continue
		}
		var font map[uint16]rune
		for _, t := range tokenRE.FindAllStringSubmatch(string(objs[c[1]].stream), -1) {
			switch {
			case t[1] != "":
				font = cmaps[t[1]]
			case t[0] == "ET":
				out.WriteByte('\n')
			default:
				for i := 0; i+4 <= len(t[2]); i += 4 {
					g, _ := strconv.ParseUint(t[2][i:i+4], 16, 16)
					out.WriteRune(font[uint16(g)])
				}
			}
		}
	}
	return out.String(), nil
}

// cmap reads a ToUnicode map's bfrange and bfchar entries.
func cmap(s []byte) map[uint16]rune {
	out := map[uint16]rune{}
	for _, m := range rangeRE.FindAllStringSubmatch(string(s), -1) {
		lo, _ := strconv.ParseUint(m[1], 16, 16)
		hi, _ := strconv.ParseUint(m[2], 16, 16)
		u, _ := strconv.ParseUint(m[3], 16, 32)
		for g := lo; g <= hi; g++ {
			out[uint16(g)] = rune(u + g - lo)
		}
	}
	for _, m := range regexp.MustCompile(`<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]+)>`).FindAllStringSubmatch(string(s), -1) {
		g, _ := strconv.ParseUint(m[1], 16, 16)
		u, _ := strconv.ParseUint(m[2], 16, 32)
		if _, ok := out[uint16(g)]; !ok {
			out[uint16(g)] = rune(u)
		}
	}
	return out
}
