package opinion

// AdjustedRandIndex compares two clusterings of the same items (labels by
// item): 1 is identical up to renaming, 0 is what chance gives. Items missing
// from either map are ignored.
func AdjustedRandIndex(a, b map[int]int) float64 {
	type pair struct{ x, y int }
	joint := map[pair]int{}
	ra, rb := map[int]int{}, map[int]int{}
	n := 0
	for item, x := range a {
		y, ok := b[item]
		if !ok {
			continue
		}
		joint[pair{x, y}]++
		ra[x]++
		rb[y]++
		n++
	}
	c2 := func(k int) float64 { return float64(k) * float64(k-1) / 2 }
	var sj, sa, sb float64
	for _, v := range joint {
		sj += c2(v)
	}
	for _, v := range ra {
		sa += c2(v)
	}
	for _, v := range rb {
		sb += c2(v)
	}
	expected := sa * sb / c2(n)
	maxIdx := (sa + sb) / 2
	if maxIdx == expected {
		return 1 // both trivial (one cluster or all singletons): identical
	}
	return (sj - expected) / (maxIdx - expected)
}
