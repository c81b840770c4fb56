package analyze

import "github.com/binscope/binscope/elfinfo"

// DataOwners attributes f as SizeOf does and returns, for each address
// range, the bytes of it each row holds (the rows by name; "" for bytes
// left to the estimate). For tests that check the attribution of
// particular bytes against an independent reading of the binary.
func DataOwners(f *elfinfo.File, ranges [][2]uint64) ([]map[string]int64, error) {
	a := newAttributor(f)
	if err := a.run(SizeOptions{}); err != nil {
		return nil, err
	}
	// run has attributed the file; claimRange gives a range's bytes to
	// the same rows again, and the difference in each row's size is its
	// share of the range.
	cs := a.cs
	out := make([]map[string]int64, len(ranges))
	for i, rg := range ranges {
		before := map[*row]int64{}
		for _, r := range a.rows {
			before[r] = r.size
		}
		pool := a.pool
		n := a.claimRange(rg[0], rg[1], cs, nil)
		m := map[string]int64{}
		for _, r := range a.rows {
			if d := r.size - before[r]; d != 0 {
				m[r.name] += d
			}
		}
		if left := int64(rg[1]-rg[0]) - n + (a.pool - pool); left > 0 {
			m[""] += left
		}
		out[i] = m
	}
	return out, nil
}
