package members

import (
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/atrium-mall/atrium/service/errs"
)

// Profile is what a member tells about themselves; every registration path takes one.
type Profile struct {
	Name          string
	Phone         string
	Gender        string // unknown, male, female
	Birthday      *time.Time
	Anniversary   *time.Time
	Tags          []string
	SourceChannel string // mini_program, service_desk, call_center, import, other
	Referrer      string // the referrer's phone number or member id; empty for none
}

// Source channels.
const (
	ChannelMiniProgram = "mini_program"
	ChannelServiceDesk = "service_desk"
	ChannelCallCenter  = "call_center"
	ChannelImport      = "import"
	ChannelOther       = "other"
)

var (
	channels   = []string{ChannelMiniProgram, ChannelServiceDesk, ChannelCallCenter, ChannelImport, ChannelOther}
	phoneRE    = regexp.MustCompile(`^1[3-9][0-9]{9}$`)
	maxTags    = 20
	maxTagLen  = 32
	maxNameLen = 50
)

// genders maps accepted spellings (also the Chinese ones found in import files).
var genders = map[string]string{
	"": "unknown", "unknown": "unknown", "未知": "unknown",
	"male": "male", "m": "male", "男": "male",
	"female": "female", "f": "female", "女": "female",
}

// NormalizePhone returns a mainland mobile number as 11 digits (a +86/86 prefix and
// spaces or dashes are dropped), or false when it is not one.
func NormalizePhone(s string) (string, bool) {
	s = strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(s))
	s = strings.TrimPrefix(strings.TrimPrefix(s, "+"), "86")
	return s, phoneRE.MatchString(s)
}

// normalize validates p and returns it cleaned; field paths start with prefix
// ("input." for the API, "" for import rows). nameRequired is false only for the
// mini-program, where WeChat may not give a name.
func normalize(p Profile, prefix string, nameRequired bool, now time.Time) (Profile, error) {
	p.Name = strings.TrimSpace(p.Name)
	if n := utf8.RuneCountInString(p.Name); (nameRequired && n == 0) || n > maxNameLen {
		return p, errs.Invalid(prefix+"name", "name must be 1 to %d characters", maxNameLen)
	}
	phone, ok := NormalizePhone(p.Phone)
	if !ok {
		return p, errs.Invalid(prefix+"phone", "phone must be a mainland mobile number (11 digits)")
	}
	p.Phone = phone
	g, ok := genders[strings.ToLower(strings.TrimSpace(p.Gender))]
	if !ok {
		return p, errs.Invalid(prefix+"gender", "gender must be male, female or unknown")
	}
	p.Gender = g
	if err := validDate(p.Birthday, prefix+"birthday", now); err != nil {
		return p, err
	}
	if err := validDate(p.Anniversary, prefix+"anniversary", now); err != nil {
		return p, err
	}
	tags, err := cleanTags(p.Tags, prefix+"tags")
	if err != nil {
		return p, err
	}
	p.Tags = tags
	if p.SourceChannel == "" {
		p.SourceChannel = ChannelOther
	}
	if !slices.Contains(channels, p.SourceChannel) {
		return p, errs.Invalid(prefix+"sourceChannel", "unknown source channel %q", p.SourceChannel)
	}
	p.Referrer = strings.TrimSpace(p.Referrer)
	return p, nil
}

func validDate(d *time.Time, field string, now time.Time) error {
	if d == nil {
		return nil
	}
	if d.Year() < 1900 || d.After(now) {
		return errs.Invalid(field, "date must be between 1900 and today")
	}
	return nil
}

// cleanTags trims, drops empties and duplicates, and checks count and length.
func cleanTags(in []string, field string) ([]string, error) {
	out := make([]string, 0, len(in))
	for _, t := range in {
		t = strings.TrimSpace(t)
		if t == "" || slices.Contains(out, t) {
			continue
		}
		if utf8.RuneCountInString(t) > maxTagLen {
			return nil, errs.Invalid(field, "a tag must be at most %d characters", maxTagLen)
		}
		out = append(out, t)
	}
	if len(out) > maxTags {
		return nil, errs.Invalid(field, "at most %d tags", maxTags)
	}
	return out, nil
}

// ParseDate reads a calendar date as written in forms and spreadsheets
// (2006-01-02, 2006/1/2, 20060102); empty is nil.
func ParseDate(s string) (*time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, true
	}
	for _, layout := range []string{"2006-01-02", "2006/1/2", "2006-1-2", "20060102", "2006/01/02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return &t, true
		}
	}
	return nil, false
}
