// Package benchab runs benchmarks that compare like with like: our operation (A) and
// its baseline (B) alternate A B A B … in one run, on the same number of goroutines,
// and the benchmark reports both rates and their ratio (min / median / max over the
// rounds). It also traces the statements an operation sends to PostgreSQL, so a test
// can check that a baseline writes the same rows as the operation it stands for.
package benchab

import (
	"slices"
	"sync"
	"testing"
	"time"
)

// Side is one side of a comparison: Run(i) does the i-th operation of a round.
type Side struct {
	Name string // the rate's unit, e.g. "purchases/s"
	Run  func(i int)
}

// Result is the rates of both sides per round and the ratios ours/baseline.
type Result struct {
	Ours, Base, Ratio []float64
}

// Median of xs (0 for none).
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(xs))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// Rate runs fn(0) … fn(n-1) on the given number of goroutines and returns calls per second.
func Rate(n, goroutines int, fn func(i int)) float64 {
	return float64(n) / Time(n, goroutines, fn).Seconds()
}

// Time runs fn(0) … fn(n-1) on the given number of goroutines and returns how long
// until the last call returned.
func Time(n, goroutines int, fn func(i int)) time.Duration {
	var wg sync.WaitGroup
	next := make(chan int)
	start := time.Now()
	for range goroutines {
		wg.Go(func() {
			for i := range next {
				fn(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return time.Since(start)
}

// Alternate measures ours and base in rounds (A B A B …): each round runs n
// operations of each side on the given goroutines; operation i of round r is
// Run(r*n + i), so a side never repeats an index (give each side r*n inputs). It
// reports ours/s, baseline/s (medians) and the ratio's min, median and max.
func Alternate(b *testing.B, rounds, n, goroutines int, ours, base Side) Result {
	b.Helper()
	var res Result
	b.ResetTimer()
	for r := range rounds {
		a := Rate(n, goroutines, func(i int) { ours.Run(r*n + i) })
		z := Rate(n, goroutines, func(i int) { base.Run(r*n + i) })
		res.Ours, res.Base, res.Ratio = append(res.Ours, a), append(res.Base, z), append(res.Ratio, a/z)
	}
	b.StopTimer()
	res.Report(b, ours.Name, base.Name)
	return res
}

// Report reports the medians of both rates (units ours and "base-"+base) and the
// ratio's min, median and max (x-min, x-med, x-max), the metrics `make bench`
// puts in its table.
func (r Result) Report(b *testing.B, ours, base string) {
	b.ReportMetric(Median(r.Ours), ours)
	b.ReportMetric(Median(r.Base), "base-"+base)
	b.ReportMetric(slices.Min(r.Ratio), "x-min")
	b.ReportMetric(Median(r.Ratio), "x-med")
	b.ReportMetric(slices.Max(r.Ratio), "x-max")
	b.ReportMetric(0, "ns/op") // the rates say it; ns/op of a whole run says nothing
}
