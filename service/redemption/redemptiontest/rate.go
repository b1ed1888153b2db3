package redemptiontest

import (
	"sync"
	"time"
)

// Rate runs fn(0) … fn(n-1) on the given number of goroutines and returns calls per
// second: what the benchmarks report against a baseline measured the same way.
func Rate(n, goroutines int, fn func(i int)) float64 {
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
	return float64(n) / time.Since(start).Seconds()
}
