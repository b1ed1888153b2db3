package memberevents

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/memberevents/signinrule"
)

func decimalOf(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func signinRule(opens, closes time.Time, perDay int) signinrule.Rule {
	return signinrule.Rule{Opens: opens, Closes: closes, Repeatable: true, MaxPerDay: perDay}
}
