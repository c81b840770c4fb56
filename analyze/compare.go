package analyze

// CompareReport is what binscope compare reports: one cell per build
// option combination, each compared with the baseline cell (a plain go
// build), and the effect of each option.
type CompareReport struct {
	SchemaVersion int      `json:"schema_version"`
	Target        Target   `json:"target"`
	Baseline      string   `json:"baseline"` // the id of the baseline cell
	Cells         []Cell   `json:"cells"`
	Effects       []Effect `json:"effects"`
}

// Target is the program compare built.
type Target struct {
	Dir       string `json:"dir"`
	Module    string `json:"module"`
	Package   string `json:"package"`
	GoVersion string `json:"go_version"`
	Host      string `json:"host"` // GOOS/GOARCH of the machine that built
}

// Options are a cell's build options, named as in flags and YAML.
type Options struct {
	CGO    bool     `json:"cgo"`
	GOOS   string   `json:"goos"`
	GOARCH string   `json:"goarch"`
	Strip  bool     `json:"strip"`
	Tags   []string `json:"tags"`
}

// Cell statuses.
const (
	StatusOK      = "ok"
	StatusFailed  = "failed"
	StatusSkipped = "skipped"
)

// Cell is one build of the matrix.
type Cell struct {
	ID           string        `json:"id"`
	Options      Options       `json:"options"`
	Command      string        `json:"command"` // the shell command that reproduces the build
	Status       string        `json:"status"`  // ok, failed or skipped
	Reason       string        `json:"reason"`  // why it failed or was skipped
	Size         int64         `json:"size"`
	Binary       *Binary       `json:"binary"` // the same object as one entry of inspect's "binaries"
	BuildSeconds float64       `json:"build_seconds"`
	Packages     []PackageSize `json:"packages,omitempty"`
	Modules      []ModuleSize  `json:"modules,omitempty"`
}

// Effect is the median change one option value causes across the pairs of
// cells that differ only in that option.
type Effect struct {
	Option  string  `json:"option"` // as a user types it: -ldflags="-s -w", CGO_ENABLED=0, -tags=containers
	Delta   int64   `json:"delta"`  // median change in bytes
	Percent float64 `json:"percent"`
	Pairs   int     `json:"pairs"` // how many cell pairs the median is taken over
	Note    string  `json:"note,omitempty"`
}
