package org

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/atrium-mall/atrium/service/errs"
)

var codeRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,32}$`)
var usernameRE = regexp.MustCompile(`^[a-z0-9._-]{3,64}$`)

func validCode(field, code string) error {
	if !codeRE.MatchString(code) {
		return errs.Invalid("input."+field, "code must be 1 to 32 letters, digits, '-' or '_'")
	}
	return nil
}

func validName(field, name string) error {
	if n := utf8.RuneCountInString(strings.TrimSpace(name)); n < 1 || n > 200 {
		return errs.Invalid("input."+field, "name must be 1 to 200 characters")
	}
	return nil
}
