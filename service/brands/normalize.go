package brands

import (
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// fold is Unicode case folding (ß and ss, Σ and σ and ς are one).
var fold = cases.Fold()

// Normalize is the form of a brand name that decides duplicates: NFKC (full-width
// letters, digits and ideographic spaces become their ordinary forms, compatibility
// characters like ① and ﬁ are unfolded), case-folded, with everything that is not a
// letter, a digit or a combining mark dropped (spaces, punctuation both Western and
// Chinese, symbols). "ＮＩＫＥ 耐克", "Nike·耐克" and "nike耐克" are one brand.
func Normalize(name string) string {
	folded := norm.NFKC.String(fold.String(norm.NFKC.String(name)))
	var b strings.Builder
	for _, r := range folded {
		if unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
