package iot

import "net/url"

// validURL reports whether s is an absolute http(s) URL of reasonable length.
func validURL(s string) bool {
	if len(s) > 2048 {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
