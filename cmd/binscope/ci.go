package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/analyze/budget"
	"github.com/binscope/binscope/buildmatrix"
	"github.com/binscope/binscope/config"
	"github.com/binscope/binscope/internal/ghapi"
	"github.com/binscope/binscope/internal/units"
	"github.com/spf13/cobra"
)

// binscope ci is the logic of the GitHub Action (action.yml): the steps a
// workflow would otherwise write in shell, as tested Go. It reads the
// workflow's environment (GITHUB_EVENT_NAME, GITHUB_EVENT_PATH,
// GITHUB_REPOSITORY, GITHUB_API_URL, GITHUB_TOKEN, GITHUB_STEP_SUMMARY,
// GITHUB_OUTPUT…) as the Actions runner sets it.

// The files of a ci report folder: the upload of a pull request's run,
// which the workflow_run workflow downloads to comment.
const (
	ciCompare     = "report.json"       // the compare report of the cells built: a later run's baseline
	ciCheck       = "check.json"        // the check report, which the comment is rendered from
	ciComment     = "comment.md"        // the comment's markdown, as the job summary shows it
	ciHTML        = "report.html"       // compare's HTML report of the cells
	ciPullRequest = "pull-request.json" // which pull request the reports are for
)

// ciPull is pull-request.json: what the comment needs to know about the
// run that made the reports.
type ciPull struct {
	SchemaVersion int    `json:"schema_version"`
	Repository    string `json:"repository"`
	Number        int    `json:"number"`
	HeadSHA       string `json:"head_sha"`
	BaseRef       string `json:"base_ref"`
	Key           string `json:"key"` // the sticky comment's key
	Fork          bool   `json:"fork"`
	Baseline      string `json:"baseline"` // where the baseline came from, as the comment says it
}

type ciOptions struct {
	config   string
	baseline string
	artifact string
	out      string
	comment  string
	key      string
	htmlURL  string
	jobs     int
	history  string
}

// The step outputs each command writes to GITHUB_OUTPUT, which action.yml
// reads (TestActionFlags).
var (
	ciCheckOutputs   = []string{"dir", "report", "check-report", "comment", "html", "verdict"}
	ciCommentOutputs = []string{"comment-url"}
)

// Comment modes: what the run leaves besides annotations.
var ciModes = []string{"sticky", "summary", "annotations"}

func newCICmd(opts *globalOptions) *cobra.Command {
	co := &ciOptions{}
	cmd := &cobra.Command{
		Use:   "ci",
		Short: "The GitHub Action's steps: check a pull request against its base and keep one sticky comment",
		Long: `ci runs binscope in GitHub Actions, as the Action (action.yml) does; each step
reads the workflow's environment (GITHUB_EVENT_NAME, GITHUB_EVENT_PATH,
GITHUB_REPOSITORY, GITHUB_API_URL, GITHUB_TOKEN, GITHUB_STEP_SUMMARY,
GITHUB_OUTPUT).

  binscope ci check    builds the config's matrix and checks its budgets; on a
                       pull request against a baseline: the base branch's last
                       report artifact, or a build of the base in a git worktree.
                       Writes the reports and the comment into --out.
  binscope ci comment  posts the comment on the pull request, or updates the
                       one it posted before: one comment, never two. From a
                       fork's pull request it does nothing (its token cannot
                       write); a workflow_run workflow then posts it, from the
                       run's artifact.

Exit status: 0 the budgets pass (or only warn); 1 a budget failed, a cell did
not build, or the API refused; 2 a flag, the config or the event cannot be
understood.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	check := &cobra.Command{
		Use:   "check",
		Short: "Build and check the budgets, against the base branch on a pull request; write the reports and the comment",
		Example: `  binscope ci check --out binscope-report
  binscope ci check --baseline worktree --comment summary`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCICheck(cmd.Context(), opts, co)
		},
	}
	f := check.Flags()
	f.StringVar(&co.config, "config", "", "the budget `FILE` (default: "+config.FileName+", found as check finds it)")
	f.StringVar(&co.baseline, "baseline", "auto", "on a pull request, the baseline: artifact (the base branch's last report), worktree (build the base), none, auto (artifact, else worktree) or a report `FILE`")
	f.StringVar(&co.comment, "comment", "sticky", "what the run leaves besides annotations: sticky (a pull request comment, and the job summary), summary (the job summary) or annotations")
	f.StringVar(&co.key, "key", "", "the sticky comment's `KEY`, for several binscope jobs on one pull request (default: the config's path)")
	f.IntVar(&co.jobs, "jobs", 2, "at most `N` builds at once")
	f.StringVar(&co.history, "history", "", "append this run's sizes to the size history `FILE`, as check --history")
	comment := &cobra.Command{
		Use:     "comment",
		Short:   "Post or update the sticky comment of a ci check run (on workflow_run: of the run's artifact)",
		Example: `  binscope ci comment --out binscope-report --html-url "$ARTIFACT_URL"`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCIComment(cmd.Context(), opts, co)
		},
	}
	comment.Flags().StringVar(&co.htmlURL, "html-url", "", "link the comment to the HTML report at `URL` (on workflow_run: the artifact's page, found through the API)")
	for _, c := range []*cobra.Command{check, comment} {
		c.Flags().StringVar(&co.out, "out", "binscope-report", "the reports' `FOLDER`")
		c.Flags().StringVar(&co.artifact, "artifact", "binscope-report", "the `NAME` of the reports' artifact, as the workflow uploads it")
	}
	cmd.AddCommand(check, comment)
	return cmd
}

// ciAPI is the part of GitHub's API that ci calls: package ghclient,
// linked in only with -tags ghapi (ci_ghapi.go), since it brings net/http
// and crypto/tls, +3.7M of a stripped binscope.
type ciAPI interface {
	Artifacts(ctx context.Context, repo, name string) ([]ghapi.Artifact, error)
	RunArtifacts(ctx context.Context, repo string, id int64) ([]ghapi.Artifact, error)
	Download(ctx context.Context, a ghapi.Artifact) (map[string][]byte, error)
	PullRequest(ctx context.Context, repo string, n int) (ghapi.PullRequest, error)
	// Upsert keeps one comment with marker on pull request n, and
	// returns its address and whether it was created.
	Upsert(ctx context.Context, repo string, n int, marker, body string) (url string, created bool, deleted int, err error)
}

// newCIAPI returns the API client, or nil in a binscope built without
// -tags ghapi.
var newCIAPI func(baseURL, token string) ciAPI

// errNoAPI says how to get a binscope that talks to GitHub.
var errNoAPI = errors.New("this binscope was built without GitHub's API client, which costs 3.7M (net/http, crypto/tls): install it with go install -tags ghapi, as the Action (action.yml) does")

// api returns the API client.
func (e *ciEnv) api() (ciAPI, error) {
	if newCIAPI == nil {
		return nil, errNoAPI
	}
	return newCIAPI(e.apiURL, e.token), nil
}

// ciEnv is the workflow's world, from the environment.
type ciEnv struct {
	event     *ghapi.Event // nil outside a workflow
	repo      string
	apiURL    string
	token     string
	server    string
	runID     string
	sha       string
	summary   string // GITHUB_STEP_SUMMARY
	output    string // GITHUB_OUTPUT
	workspace string
}

func readCIEnv(opts *globalOptions) (*ciEnv, error) {
	e := &ciEnv{
		repo:      opts.getenv("GITHUB_REPOSITORY"),
		server:    cmp.Or(opts.getenv("GITHUB_SERVER_URL"), "https://github.com"),
		runID:     opts.getenv("GITHUB_RUN_ID"),
		sha:       opts.getenv("GITHUB_SHA"),
		summary:   opts.getenv("GITHUB_STEP_SUMMARY"),
		output:    opts.getenv("GITHUB_OUTPUT"),
		workspace: opts.getenv("GITHUB_WORKSPACE"),
		apiURL:    cmp.Or(opts.getenv("GITHUB_API_URL"), "https://api.github.com"),
		token:     opts.getenv("GITHUB_TOKEN"),
	}
	name := opts.getenv("GITHUB_EVENT_NAME")
	if name == "" {
		return e, nil
	}
	path := opts.getenv("GITHUB_EVENT_PATH")
	if path == "" {
		return nil, configErrorf("ci: GITHUB_EVENT_NAME is %s but GITHUB_EVENT_PATH is not set", name)
	}
	data, err := readLimited(path, ghapi.MaxEvent, "event payload")
	if err != nil {
		return nil, configErrorf("ci: GITHUB_EVENT_PATH: %v", err)
	}
	ev, err := ghapi.ParseEvent(name, data)
	if err != nil {
		return nil, configErrorf("ci: %s: %v", path, err)
	}
	e.event = ev
	if e.repo == "" {
		e.repo = ev.Repository.FullName
	}
	return e, nil
}

// setOutput appends NAME=VALUE to GITHUB_OUTPUT, when the runner set it.
func (e *ciEnv) setOutput(pairs ...string) error {
	if e.output == "" {
		return nil
	}
	var b strings.Builder
	for i := 0; i+1 < len(pairs); i += 2 {
		if strings.ContainsAny(pairs[i+1], "\r\n") {
			return fmt.Errorf("ci: output %s has a line break", pairs[i])
		}
		fmt.Fprintf(&b, "%s=%s\n", pairs[i], pairs[i+1])
	}
	return appendFile(e.output, b.String())
}

func appendFile(name, s string) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	_, err = io.WriteString(f, s)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func runCICheck(ctx context.Context, opts *globalOptions, co *ciOptions) error {
	if !slices.Contains(ciModes, co.comment) {
		return usageErrorf("invalid --comment value %q: want sticky, summary or annotations", co.comment)
	}
	if co.jobs < 1 {
		return usageErrorf("invalid --jobs value %d: want 1 or more", co.jobs)
	}
	env, err := readCIEnv(opts)
	if err != nil {
		return err
	}
	cfgPath := co.config
	if cfgPath == "" {
		if cfgPath, err = findConfig("ci check", "and the Action checks the budgets of a config (--config FILE)"); err != nil {
			return err
		}
	}
	if _, err := os.Stat(cfgPath); err != nil {
		return configErrorf("ci check: --config: %v", unwrapPathErr(err))
	}
	if err := os.MkdirAll(co.out, 0o755); err != nil {
		return failure(fmt.Errorf("ci check: --out: %w", unwrapPathErr(err)))
	}
	key := co.key
	if key == "" {
		key, _ = annotationPath(cfgPath, opts.getenv)
		key = cmp.Or(key, filepath.ToSlash(cfgPath))
	}
	var pr *ghapi.PullRequest
	if env.event != nil && env.event.IsPullRequest() {
		pr = env.event.PullRequest
	}

	// The baseline.
	var baseline, baseNote string
	switch co.baseline {
	case "none":
	case "auto", "artifact", "worktree":
		if pr == nil {
			break // a push: this run's report is the next pull request's baseline
		}
		baseline, baseNote, err = ciBaseline(ctx, opts, env, co, cfgPath, pr)
		if err != nil {
			return err
		}
	default:
		if _, err := os.Stat(co.baseline); err != nil {
			return usageErrorf("invalid --baseline value %q: not auto, artifact, worktree or none, and not a report file (%v)", co.baseline, unwrapPathErr(err))
		}
		baseline, baseNote = co.baseline, "the report "+co.baseline
	}
	if baseNote != "" {
		fmt.Fprintf(opts.stderr, "binscope: ci: baseline: %s\n", baseNote)
	}

	// The check, as binscope check runs it, into the folder.
	checkFile := filepath.Join(co.out, ciCheck)
	args := []string{"check", "--config", cfgPath, "--report", filepath.Join(co.out, ciCompare), "--html", filepath.Join(co.out, ciHTML), "--format", "json", "-o", checkFile, "-q", "--jobs", strconv.Itoa(co.jobs)}
	if baseline != "" {
		args = append(args, "--baseline", baseline)
	}
	if co.history != "" {
		args = append(args, "--history", co.history)
	}
	if code := run(ctx, args, opts.env, io.Discard, opts.stderr); code == exitUsage {
		return &exitError{code: exitUsage}
	} else if code != exitOK && code != exitFailure {
		return &exitError{code: code}
	}
	r, err := readCheckReport(checkFile)
	if err != nil {
		// check failed before it judged (a build it could not run): it
		// said why.
		return errReported
	}
	body := ciCommentBody(r, key, baseNote, "")
	if err := writeFileAtomic(filepath.Join(co.out, ciComment), []byte(body)); err != nil {
		return failure(fmt.Errorf("ci check: %w", err))
	}
	if pr != nil {
		p := ciPull{SchemaVersion: analyze.SchemaVersion, Repository: env.repo, Number: pr.Number, HeadSHA: pr.Head.SHA, BaseRef: pr.Base.Ref, Key: key, Fork: env.event.FromFork(), Baseline: baseNote}
		var pb bytes.Buffer
		if err := writeJSON(&pb, p); err != nil {
			return failure(err)
		}
		if err := writeFileAtomic(filepath.Join(co.out, ciPullRequest), pb.Bytes()); err != nil {
			return failure(fmt.Errorf("ci check: %w", err))
		}
	}
	if co.comment != "annotations" && env.summary != "" {
		if err := appendFile(env.summary, body+"\n"); err != nil {
			return failure(fmt.Errorf("ci check: GITHUB_STEP_SUMMARY: %w", err))
		}
	}
	annotation, _ := annotationPath(cfgPath, opts.getenv)
	if err := renderCheckGitHub(opts.stdout, r, annotation); err != nil {
		return failure(err)
	}
	// ciCheckOutputs names them.
	if err := env.setOutput(
		"dir", co.out,
		"report", filepath.Join(co.out, ciCompare),
		"check-report", checkFile,
		"comment", filepath.Join(co.out, ciComment),
		"html", filepath.Join(co.out, ciHTML),
		"verdict", string(r.Status),
	); err != nil {
		return failure(fmt.Errorf("ci check: GITHUB_OUTPUT: %w", err))
	}
	fmt.Fprintf(opts.stderr, "binscope: ci: %s (%s); reports in %s\n", r.Status, countsLine(r), co.out)
	switch r.Status {
	case budget.StatusFail, budget.StatusError:
		return errReported
	}
	return nil
}

// readCheckReport reads a check report that binscope wrote.
func readCheckReport(name string) (*budget.Report, error) {
	data, err := readLimited(name, maxReport, "check report")
	if err != nil {
		return nil, err
	}
	var r budget.Report
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%s: not a check report: %v", name, err)
	}
	if r.SchemaVersion != analyze.SchemaVersion {
		return nil, fmt.Errorf("%s: a check report of schema_version %d; this binscope reads %d", name, r.SchemaVersion, analyze.SchemaVersion)
	}
	return &r, nil
}

// ciBaseline finds a pull request's baseline: the base branch's latest
// report artifact, or the base built in a git worktree. It returns the
// report's path and how it was found, or "" with the reason when there
// is none: growth rules then say NO BASELINE, which fails nothing.
func ciBaseline(ctx context.Context, opts *globalOptions, env *ciEnv, co *ciOptions, cfgPath string, pr *ghapi.PullRequest) (path, note string, err error) {
	file := filepath.Join(co.out, "baseline.json")
	if co.baseline == "artifact" || co.baseline == "auto" {
		why := ""
		switch {
		case env.token == "":
			why = "no GITHUB_TOKEN to read artifacts with"
		case env.repo == "":
			why = "no GITHUB_REPOSITORY"
		default:
			api, err := env.api()
			if err != nil {
				why = err.Error()
				break
			}
			arts, err := api.Artifacts(ctx, env.repo, co.artifact)
			if err != nil {
				why = err.Error()
				break
			}
			a, ok := ghapi.LatestOnBranch(arts, pr.Base.Ref)
			if !ok {
				why = fmt.Sprintf("no artifact %s from branch %s", co.artifact, pr.Base.Ref)
				break
			}
			files, err := api.Download(ctx, a)
			if err != nil {
				why = err.Error()
				break
			}
			data, ok := files[ciCompare]
			if !ok {
				why = fmt.Sprintf("artifact %s (id %d) has no %s", a.Name, a.ID, ciCompare)
				break
			}
			if err := writeFileAtomic(file, data); err != nil {
				return "", "", failure(fmt.Errorf("ci check: %w", err))
			}
			return file, fmt.Sprintf("artifact %s of %s at %s (run %d)", a.Name, pr.Base.Ref, shortSHA(a.WorkflowRun.HeadSHA), a.WorkflowRun.ID), nil
		}
		if co.baseline == "artifact" {
			fmt.Fprintf(opts.stderr, "binscope: ci: no baseline artifact: %s\n", why)
			return "", "none (" + why + ")", nil
		}
		fmt.Fprintf(opts.stderr, "binscope: ci: no baseline artifact (%s): building the base in a worktree\n", why)
	}
	return ciWorktreeBaseline(ctx, opts, co, cfgPath, pr, file)
}

func shortSHA(s string) string {
	if len(s) > 7 {
		return s[:7]
	}
	return s
}

// ciWorktreeBaseline builds the pull request's merge base (or, when the
// clone is too shallow for one, its base commit) in a temporary git
// worktree, under this branch's config at the same path, into file.
func ciWorktreeBaseline(ctx context.Context, opts *globalOptions, co *ciOptions, cfgPath string, pr *ghapi.PullRequest, file string) (string, string, error) {
	none := func(why string) (string, string, error) {
		fmt.Fprintf(opts.stderr, "binscope: ci: no baseline: %s\n", why)
		return "", "none (" + why + ")", nil
	}
	absCfg, err := filepath.Abs(cfgPath)
	if err != nil {
		return "", "", failure(err)
	}
	top, err := buildmatrix.GitTopLevel(ctx, filepath.Dir(absCfg), opts.env)
	if err != nil {
		return none(err.Error())
	}
	rel, err := filepath.Rel(top, absCfg)
	if err != nil || strings.HasPrefix(rel, "..") {
		return none(fmt.Sprintf("the config %s is outside the repository %s", cfgPath, top))
	}
	base := pr.Base.SHA
	if base == "" {
		base = "origin/" + pr.Base.Ref
	}
	what := "base " + shortSHA(base)
	if mb, err := buildmatrix.MergeBase(ctx, top, opts.env, base, pr.Head.SHA); err == nil && mb != "" {
		base, what = mb, "merge base "+shortSHA(mb)
	}
	tmp, err := os.MkdirTemp("", "binscope-base-")
	if err != nil {
		return "", "", failure(err)
	}
	defer os.RemoveAll(tmp)
	tree := filepath.Join(tmp, "tree")
	remove, err := buildmatrix.AddWorktree(ctx, top, opts.env, tree, base)
	if err != nil {
		return none(err.Error())
	}
	defer func() {
		if err := remove(); err != nil {
			fmt.Fprintf(opts.stderr, "binscope: ci: %v\n", err)
		}
	}()
	// The base is built under this branch's config, put at the same place
	// in the base's tree (its target is relative to the config's folder):
	// the same matrix, so that every cell has its counterpart, and a
	// config the pull request adds or changes applies to both sides.
	baseCfg := filepath.Join(tree, rel)
	data, err := readLimited(absCfg, config.MaxSize, "budget file")
	if err != nil {
		return "", "", configErrorf("ci check: read config: %v", err)
	}
	if err := os.MkdirAll(filepath.Dir(baseCfg), 0o755); err != nil {
		return none(err.Error())
	}
	if err := os.WriteFile(baseCfg, data, 0o644); err != nil {
		return none(err.Error())
	}
	// So is the GoReleaser config whose builds are the matrix.
	if cfg, err := config.Parse(data, absCfg); err == nil && cfg.GoReleaser != "" && !filepath.IsAbs(cfg.GoReleaser) {
		src := filepath.Join(filepath.Dir(absCfg), cfg.GoReleaser)
		gr, err := readLimited(src, config.MaxSize, "GoReleaser config")
		if err != nil {
			return "", "", configErrorf("ci check: read %s: %v", cfg.GoReleaser, err)
		}
		dst := filepath.Join(filepath.Dir(baseCfg), cfg.GoReleaser)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return none(err.Error())
		}
		if err := os.WriteFile(dst, gr, 0o644); err != nil {
			return none(err.Error())
		}
	}
	absFile, err := filepath.Abs(file)
	if err != nil {
		return "", "", failure(err)
	}
	fmt.Fprintf(opts.stderr, "binscope: ci: building the %s for the baseline\n", what)
	args := []string{"check", "--config", baseCfg, "--report", absFile, "--format", "json", "-o", os.DevNull, "-q", "--jobs", strconv.Itoa(co.jobs)}
	var errb bytes.Buffer
	if code := run(ctx, args, opts.env, io.Discard, &errb); code != exitOK && code != exitFailure {
		return none(fmt.Sprintf("the %s does not check: %s", what, firstLineOf(errb.String())))
	}
	if _, err := os.Stat(absFile); err != nil {
		return none(fmt.Sprintf("the %s built no report: %s", what, firstLineOf(errb.String())))
	}
	return file, "the " + what + " of " + pr.Base.Ref + ", built in a worktree", nil
}

func firstLineOf(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// ciMarker is the hidden line that marks binscope's comment for key.
func ciMarker(key string) string {
	return "<!-- binscope-ci: " + strings.NewReplacer("--", "- -", ">", "").Replace(key) + " -->"
}

// ciCommentBody renders the pull request comment from a check report:
// the marker, the verdict and the budget table (check's markdown), the
// packages and modules that grew most in the cell that grew most, and
// the link to the HTML report.
func ciCommentBody(r *budget.Report, key, baseNote, htmlURL string) string {
	var b strings.Builder
	b.WriteString(ciMarker(key) + "\n")
	// check's markdown names the baseline file, a path on the runner;
	// the comment says where it came from instead.
	rc := *r
	rc.Baseline = ""
	renderCheckMarkdown(&b, &rc, 0)
	if baseNote != "" {
		fmt.Fprintf(&b, "\nBaseline: %s.\n", mdText(baseNote))
	}
	// The cell that grew most, with its comparable growth.
	var top *budget.Cell
	for i := range r.Cells {
		c := &r.Cells[i]
		if c.Grew == nil || c.Delta == nil || *c.Delta <= 0 {
			continue
		}
		if top == nil || *c.Delta > *top.Delta {
			top = c
		}
	}
	if top != nil && len(top.Grew.Packages) > 0 {
		fmt.Fprintf(&b, "\n**Grew most** in %s (%s), by comparable figures:\n\n", mdCell(cellName(top.Label, top.ID)), markdownDelta(*top))
		b.WriteString("| package | before | after | Δ |\n|:--|--:|--:|--:|\n")
		for _, row := range top.Grew.Packages {
			before := units.HumanSize(row.Old)
			if row.Status == "added" {
				before = "–"
			}
			fmt.Fprintf(&b, "| %s | %s | %s | +%s |\n", mdCell(row.Name), before, units.HumanSize(row.New), units.HumanSize(row.Delta))
		}
		var mods []string
		for _, m := range top.Grew.Modules {
			// Headers and padding are not a module anyone can drop.
			if !analyze.FixedRow(m.Name) {
				mods = append(mods, fmt.Sprintf("%s +%s", mdCell(m.Name), units.HumanSize(m.Delta)))
			}
		}
		if len(mods) > 0 {
			fmt.Fprintf(&b, "\nModules: %s.\n", strings.Join(mods, ", "))
		}
	}
	if htmlURL != "" {
		fmt.Fprintf(&b, "\n[HTML report](%s) · ", strings.NewReplacer("(", "%28", ")", "%29", " ", "%20").Replace(htmlURL))
	} else {
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "<sub>binscope %s</sub>\n", versionInfo().Version)
	// An @ followed by a name would notify that user or team; a word
	// joiner after it keeps the text and stops the ping (a package or
	// cell name can hold an @, as pkg@version).
	return strings.ReplaceAll(b.String(), "@", "@\u2060")
}

func runCIComment(ctx context.Context, opts *globalOptions, co *ciOptions) error {
	env, err := readCIEnv(opts)
	if err != nil {
		return err
	}
	if env.event == nil {
		return usageErrorf("ci comment: not in a workflow (GITHUB_EVENT_NAME is not set): the comment goes on a pull request")
	}
	htmlURL := co.htmlURL
	var files map[string][]byte
	var runSHA string
	switch {
	case env.event.IsPullRequest():
		if env.event.FromFork() {
			fmt.Fprintf(opts.stderr, "binscope: ci: pull request #%d comes from a fork, whose token cannot write here: the workflow_run workflow comments from the uploaded reports (docs/ci.md)\n", env.event.PullRequest.Number)
			return nil
		}
		files, err = ciReadDir(co.out)
		if err != nil {
			return failure(fmt.Errorf("ci comment: %w", err))
		}
		runSHA = env.event.PullRequest.Head.SHA
	case env.event.WorkflowRun != nil:
		wr := env.event.WorkflowRun
		if wr.Event != "pull_request" && wr.Event != "pull_request_target" {
			fmt.Fprintf(opts.stderr, "binscope: ci: the run was triggered by %s, not a pull request: nothing to comment on\n", cmp.Or(wr.Event, "an unknown event"))
			return nil
		}
		if env.token == "" {
			return failure(errors.New("ci comment: no GITHUB_TOKEN: the workflow_run workflow needs one with pull-requests: write and actions: read"))
		}
		api, err := env.api()
		if err != nil {
			return failure(fmt.Errorf("ci comment: %w", err))
		}
		arts, err := api.RunArtifacts(ctx, env.repo, wr.ID)
		if err != nil {
			return failure(fmt.Errorf("ci comment: %w", err))
		}
		var art *ghapi.Artifact
		for i := range arts {
			if arts[i].Name == co.artifact && !arts[i].Expired {
				art = &arts[i]
			}
		}
		if art == nil {
			fmt.Fprintf(opts.stderr, "binscope: ci: run %d has no artifact %s: nothing to comment (did its check step run?)\n", wr.ID, co.artifact)
			return nil
		}
		files, err = api.Download(ctx, *art)
		if err != nil {
			return failure(fmt.Errorf("ci comment: %w", err))
		}
		runSHA = wr.HeadSHA
		if htmlURL == "" && files[ciHTML] != nil {
			htmlURL = fmt.Sprintf("%s/%s/actions/runs/%d/artifacts/%d", strings.TrimRight(env.server, "/"), env.repo, wr.ID, art.ID)
		}
	default:
		return usageErrorf("ci comment: a %s event has no pull request to comment on", env.event.Name)
	}

	var p ciPull
	if err := json.Unmarshal(files[ciPullRequest], &p); err != nil || p.Number <= 0 {
		return failure(fmt.Errorf("ci comment: the reports have no valid %s: was ci check run on a pull request?", ciPullRequest))
	}
	// The reports of a fork's run are the fork's to write: they are data,
	// rendered here, and the pull request they name must be the one the
	// run built.
	if p.HeadSHA != runSHA {
		return failure(fmt.Errorf("ci comment: %s names pull request #%d at %s, but the run built %s", ciPullRequest, p.Number, shortSHA(p.HeadSHA), shortSHA(runSHA)))
	}
	if env.token == "" {
		fmt.Fprintf(opts.stderr, "binscope: ci: no GITHUB_TOKEN: the comment is left to a workflow_run workflow (docs/ci.md)\n")
		return nil
	}
	api, err := env.api()
	if err != nil {
		return failure(fmt.Errorf("ci comment: %w", err))
	}
	if env.event.WorkflowRun != nil {
		live, err := api.PullRequest(ctx, env.repo, p.Number)
		if err != nil {
			return failure(fmt.Errorf("ci comment: %w", err))
		}
		if live.Head.SHA != runSHA {
			fmt.Fprintf(opts.stderr, "binscope: ci: pull request #%d has moved on to %s since the run built %s: its own run will comment\n", p.Number, shortSHA(live.Head.SHA), shortSHA(runSHA))
			return nil
		}
	}
	tmp, err := os.MkdirTemp("", "binscope-ci-")
	if err != nil {
		return failure(err)
	}
	defer os.RemoveAll(tmp)
	checkFile := filepath.Join(tmp, ciCheck)
	if err := os.WriteFile(checkFile, files[ciCheck], 0o644); err != nil {
		return failure(err)
	}
	r, err := readCheckReport(checkFile)
	if err != nil {
		return failure(fmt.Errorf("ci comment: the reports' %s: %v", ciCheck, strings.TrimPrefix(err.Error(), checkFile+": ")))
	}
	if err := ciTrusted(r); err != nil {
		return failure(fmt.Errorf("ci comment: the reports' %s: %v", ciCheck, err))
	}
	key := cmp.Or(p.Key, config.FileName)
	body := ciCommentBody(r, key, p.Baseline, htmlURL)
	url, created, deleted, err := api.Upsert(ctx, env.repo, p.Number, ciMarker(key), body)
	if err != nil {
		return failure(fmt.Errorf("ci comment: %w", err))
	}
	verb := "updated"
	if created {
		verb = "posted"
	}
	fmt.Fprintf(opts.stdout, "%s the comment on #%d: %s\n", verb, p.Number, url)
	if deleted > 0 {
		fmt.Fprintf(opts.stderr, "binscope: ci: removed %d duplicate comment(s) of a concurrent run\n", deleted)
	}
	return env.setOutput("comment-url", url)
}

// ciTrusted refuses a check report whose statuses are not binscope's. On
// workflow_run the report comes from the artifact of a run that a fork's
// pull request may have changed: every text of it is escaped as it is
// rendered, but statuses are written as they are.
func ciTrusted(r *budget.Report) error {
	known := func(s budget.Status) bool { _, ok := statusMark[s]; return ok }
	if !known(r.Status) {
		return fmt.Errorf("unknown status %q", r.Status)
	}
	for s := range r.Counts {
		if !known(s) {
			return fmt.Errorf("unknown status %q in counts", s)
		}
	}
	for _, c := range r.Cells {
		if !known(c.Status) {
			return fmt.Errorf("cell %q: unknown status %q", c.ID, c.Status)
		}
		switch c.Build {
		case "ok", "failed", "skipped":
		default:
			return fmt.Errorf("cell %q: unknown build status %q", c.ID, c.Build)
		}
	}
	for _, res := range r.Rules {
		if !known(res.Status) {
			return fmt.Errorf("rule %s of %q: unknown status %q", res.Rule, res.Budget, res.Status)
		}
	}
	return nil
}

// ciReadDir reads the report folder of ci check.
func ciReadDir(dir string) (map[string][]byte, error) {
	files := map[string][]byte{}
	for _, name := range []string{ciCheck, ciComment, ciPullRequest, ciHTML} {
		data, err := readLimited(filepath.Join(dir, name), maxReport, "report")
		switch {
		case errors.Is(err, fs.ErrNotExist):
			continue
		case err != nil:
			return nil, err
		}
		files[name] = data
	}
	if files[ciCheck] == nil {
		return nil, fmt.Errorf("%s has no %s: run binscope ci check first", dir, ciCheck)
	}
	return files, nil
}
