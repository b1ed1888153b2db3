// Package stats turns a question's answer counts into its statistics: per option the
// count and its percentage of the responses that answered the question (two decimals,
// half up). For a multiple-choice question the percentages may sum above 100.
package stats

import "github.com/shopspring/decimal"

// Option is one option's count and percentage.
type Option struct {
	Index   int
	Label   string
	Count   int64
	Percent decimal.Decimal
}

// Options computes the statistics of options given counts per option index (indexes
// outside options are ignored) and the number of responses that answered the question.
func Options(options []string, counts map[int]int64, answered int64) []Option {
	out := make([]Option, len(options))
	for i, label := range options {
		n := counts[i]
		out[i] = Option{Index: i, Label: label, Count: n, Percent: Percent(n, answered)}
	}
	return out
}

// Percent is n of total in percent, two decimals, half up (0 when total is 0).
func Percent(n, total int64) decimal.Decimal {
	if total <= 0 {
		return decimal.Zero.Round(2)
	}
	return decimal.NewFromInt(n).Mul(decimal.NewFromInt(100)).DivRound(decimal.NewFromInt(total), 2)
}
