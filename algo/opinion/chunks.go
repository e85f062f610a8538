package opinion

import "sync"

// workChunks is fixed, not the CPU count, so that partial sums are added in
// the same order on every machine and results replay bit for bit.
const workChunks = 4

// inChunks runs fn on workChunks consecutive ranges of [0, n) concurrently.
func inChunks(n int, fn func(chunk, lo, hi int)) {
	if n < 4096 {
		for c := range workChunks {
			fn(c, n*c/workChunks, n*(c+1)/workChunks)
		}
		return
	}
	var wg sync.WaitGroup
	for c := range workChunks {
		wg.Go(func() { fn(c, n*c/workChunks, n*(c+1)/workChunks) })
	}
	wg.Wait()
}
