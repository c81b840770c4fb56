package buildmatrix

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func ids(cells []Combination) []string {
	out := []string{}
	for _, c := range cells {
		out = append(out, c.String())
	}
	return out
}

func mustSelectors(t *testing.T, s ...string) []Selector {
	t.Helper()
	var out []Selector
	for _, x := range s {
		sel, err := ParseSelector(x)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, sel)
	}
	return out
}

var (
	linuxAMD64 = Platform{"linux", "amd64"}
	linuxARM64 = Platform{"linux", "arm64"}
	winAMD64   = Platform{"windows", "amd64"}
)

func TestExpand(t *testing.T) {
	tests := []struct {
		name    string
		axes    Axes
		exclude []string
		want    []string
	}{
		{
			name: "default matrix of pomo",
			axes: Axes{CGO: []bool{true, false}, Platforms: []Platform{linuxAMD64}, Strip: []bool{false, true}, TagSets: [][]string{{}, {"containers"}}},
			want: []string{
				"cgo=1,goos=linux,goarch=amd64,strip=off,tags=",
				"cgo=1,goos=linux,goarch=amd64,strip=on,tags=",
				"cgo=1,goos=linux,goarch=amd64,strip=off,tags=containers",
				"cgo=1,goos=linux,goarch=amd64,strip=on,tags=containers",
				"cgo=0,goos=linux,goarch=amd64,strip=off,tags=",
				"cgo=0,goos=linux,goarch=amd64,strip=on,tags=",
				"cgo=0,goos=linux,goarch=amd64,strip=off,tags=containers",
				"cgo=0,goos=linux,goarch=amd64,strip=on,tags=containers",
			},
		},
		{
			name:    "exclude a partial tuple",
			axes:    Axes{CGO: []bool{true, false}, Platforms: []Platform{linuxAMD64, winAMD64}, Strip: []bool{true}, TagSets: [][]string{{}}},
			exclude: []string{"cgo=1,goos=windows"},
			want: []string{
				"cgo=1,goos=linux,goarch=amd64,strip=on,tags=",
				"cgo=0,goos=linux,goarch=amd64,strip=on,tags=",
				"cgo=0,goos=windows,goarch=amd64,strip=on,tags=",
			},
		},
		{
			name:    "several excludes, tag sets matched whole",
			axes:    Axes{CGO: []bool{false}, Platforms: []Platform{linuxAMD64, linuxARM64}, Strip: []bool{false, true}, TagSets: [][]string{{}, {"netgo", "osusergo"}, {"netgo"}}},
			exclude: []string{"platform=linux/arm64,strip=off", "tags=netgo"},
			want: []string{
				"cgo=0,goos=linux,goarch=amd64,strip=off,tags=",
				"cgo=0,goos=linux,goarch=amd64,strip=on,tags=",
				"cgo=0,goos=linux,goarch=amd64,strip=off,tags=netgo+osusergo",
				"cgo=0,goos=linux,goarch=amd64,strip=on,tags=netgo+osusergo",
				"cgo=0,goos=linux,goarch=arm64,strip=on,tags=",
				"cgo=0,goos=linux,goarch=arm64,strip=on,tags=netgo+osusergo",
			},
		},
		{
			name: "repeated values count once",
			axes: Axes{CGO: []bool{false, false}, Platforms: []Platform{linuxAMD64, linuxAMD64}, Strip: []bool{true}, TagSets: [][]string{{"b", "a"}, {"a", "b"}}},
			want: []string{"cgo=0,goos=linux,goarch=amd64,strip=on,tags=a+b"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Expand(tc.axes, mustSelectors(t, tc.exclude...))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, ids(got)); diff != "" {
				t.Errorf("Expand (-want +got):\n%s", diff)
			}
		})
	}
}

func TestExpandErrors(t *testing.T) {
	axes := Axes{CGO: []bool{true, false}, Platforms: []Platform{linuxAMD64}, Strip: []bool{true}, TagSets: [][]string{{}}}
	if _, err := Expand(axes, mustSelectors(t, "cgo=1", "cgo=0")); !errors.Is(err, ErrAllExcluded) {
		t.Errorf("excluding every cell: err = %v, want ErrAllExcluded", err)
	}
	if _, err := Expand(Axes{CGO: []bool{true}, Strip: []bool{true}, TagSets: [][]string{{}}}, nil); err == nil || !strings.Contains(err.Error(), "platform") {
		t.Errorf("no platform: err = %v, want one naming the platform axis", err)
	}
	un := Unmatched(axes, mustSelectors(t, "goos=windows", "cgo=1"))
	if len(un) != 1 || un[0] != 0 {
		t.Errorf("Unmatched = %v, want [0] (goos=windows)", un)
	}
}

func TestShard(t *testing.T) {
	cells, err := Expand(Axes{CGO: []bool{true, false}, Platforms: []Platform{linuxAMD64}, Strip: []bool{false, true}, TagSets: [][]string{{}, {"containers"}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		shard string
		want  []int // indexes into cells
	}{
		{"1/1", []int{0, 1, 2, 3, 4, 5, 6, 7}},
		{"1/2", []int{0, 1, 2, 3}},
		{"2/2", []int{4, 5, 6, 7}},
		{"1/3", []int{0, 1}},
		{"2/3", []int{2, 3}},
		{"3/3", []int{4, 5, 6, 7}},
		{"5/5", []int{6, 7}},
		{"1/5", []int{}},
	}
	seen := map[string]map[string]bool{}
	for _, tc := range tests {
		t.Run(tc.shard, func(t *testing.T) {
			s, err := ParseShard(tc.shard)
			if err != nil {
				t.Fatal(err)
			}
			want := []string{}
			for _, i := range tc.want {
				want = append(want, cells[i].String())
			}
			got := s.Select(cells)
			if diff := cmp.Diff(want, ids(got)); diff != "" {
				t.Errorf("Select (-want +got):\n%s", diff)
			}
			n := tc.shard[strings.Index(tc.shard, "/"):]
			if seen[n] == nil {
				seen[n] = map[string]bool{}
			}
			for _, c := range got {
				if seen[n][c.String()] {
					t.Errorf("cell %s in two shards of %s", c, n)
				}
				seen[n][c.String()] = true
			}
		})
	}
	for _, bad := range []string{"0/2", "3/2", "1", "a/b", "1/0", "-1/2"} {
		if _, err := ParseShard(bad); err == nil {
			t.Errorf("ParseShard(%q) succeeded", bad)
		}
	}
}

func TestSchedule(t *testing.T) {
	c := func(cgo bool, p Platform, strip bool, tags ...string) Combination {
		return Combination{CGO: cgo, GOOS: p.GOOS, GOARCH: p.GOARCH, Strip: strip, Tags: tags}
	}
	cells := []Combination{
		c(true, linuxAMD64, false),                // 0 compile
		c(true, linuxAMD64, true),                 // 1 twin of 0
		c(true, linuxAMD64, false, "containers"),  // 2 other tags: after 0
		c(true, linuxAMD64, true, "containers"),   // 3 twin of 2
		c(false, linuxAMD64, false),               // 4 compile
		c(false, linuxAMD64, true),                // 5 twin of 4
		c(false, linuxARM64, true),                // 6 compile (new platform)
		c(false, linuxARM64, true, "containers"),  // 7 other tags: after 6
		c(false, linuxARM64, false, "containers"), // 8 twin of 7
	}
	want := []Step{
		{CompileLane, -1}, {LinkLane, 0}, {LinkLane, 0}, {LinkLane, 2},
		{CompileLane, -1}, {LinkLane, 4},
		{CompileLane, -1}, {LinkLane, 6}, {LinkLane, 7},
	}
	if diff := cmp.Diff(want, Schedule(cells)); diff != "" {
		t.Errorf("Schedule (-want +got):\n%s", diff)
	}
}
