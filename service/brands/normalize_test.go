package brands

import "testing"

func TestNormalize(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"ascii is lower-cased", "Nike", "nike"},
		{"full-width letters become half-width (全角)", "ＮＩＫＥ", "nike"},
		{"full-width digits", "７－Ｅｌｅｖｅｎ", "7eleven"},
		{"spaces are dropped", "  Uni  Qlo ", "uniqlo"},
		{"ideographic space is dropped", "星巴克\u3000咖啡", "星巴克咖啡"},
		{"tabs and newlines are dropped", "H&M\t\n", "hm"},
		{"case differences vanish", "mUjI", "muji"},
		{"German sharp s folds to ss", "Straße", "strasse"},
		{"Western punctuation is dropped", "Haagen-Dazs's!", "haagendazss"},
		{"Chinese punctuation is dropped", "喜茶（HEYTEA）·旗舰店", "喜茶heytea旗舰店"},
		{"full-width punctuation is dropped", "Ｃ＆Ａ", "ca"},
		{"中英混合 keeps both scripts in order", "耐克 Nike", "耐克nike"},
		{"中英混合 full-width and middle dot", "ＬＡＷＳＯＮ・罗森", "lawson罗森"},
		{"symbols are dropped", "Dr.Martens® + Co", "drmartensco"},
		{"accents survive as letters", "Café", "café"},
		{"decomposed accents compose (NFKC)", "Cafe\u0301", "café"},
		{"circled digit unfolds", "Store①", "store1"},
		{"empty stays empty", "", ""},
		{"only punctuation is empty", " -·- ", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Normalize(tc.in); got != tc.want {
				t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
