// Package ghapi holds the values of GitHub's API that binscope ci reads:
// the event payloads GitHub Actions hands a job, pull requests and
// artifacts. It does no I/O: package ghclient calls the API.
package ghapi

import (
	"encoding/json"
	"fmt"
	"time"
)

// MaxEvent bounds an event payload: GitHub's are tens of kilobytes.
const MaxEvent = 16 << 20

// Event is the part of a GitHub Actions event payload binscope reads, for
// the events its workflows run on: push, pull_request (and
// pull_request_target) and workflow_run.
type Event struct {
	Name string `json:"-"` // GITHUB_EVENT_NAME

	// push
	Ref    string `json:"ref"`
	After  string `json:"after"`
	Before string `json:"before"`

	// pull_request
	Number      int          `json:"number"`
	PullRequest *PullRequest `json:"pull_request"`

	// workflow_run
	WorkflowRun *WorkflowRun `json:"workflow_run"`

	Repository Repo `json:"repository"`
}

// WorkflowRun is the run a workflow_run event is about.
type WorkflowRun struct {
	ID             int64  `json:"id"`
	Event          string `json:"event"` // what triggered the run: pull_request, push…
	HeadSHA        string `json:"head_sha"`
	HeadBranch     string `json:"head_branch"`
	Conclusion     string `json:"conclusion"`
	HTMLURL        string `json:"html_url"`
	HeadRepository *Repo  `json:"head_repository"`
	Repository     *Repo  `json:"repository"`
	// PullRequests is empty for a pull request from a fork, which is why
	// the pull request run writes its number into its artifact.
	PullRequests []struct {
		Number int `json:"number"`
		Head   Ref `json:"head"`
	} `json:"pull_requests"`
}

// ParseEvent reads the payload of an event named name.
func ParseEvent(name string, data []byte) (*Event, error) {
	if len(data) > MaxEvent {
		return nil, fmt.Errorf("event payload larger than %d MiB", MaxEvent>>20)
	}
	var e Event
	if err := json.Unmarshal(data, &e); err != nil {
		return nil, fmt.Errorf("event payload: not JSON: %v", err)
	}
	e.Name = name
	switch name {
	case "pull_request", "pull_request_target":
		if e.PullRequest == nil || e.PullRequest.Number == 0 && e.Number == 0 {
			return nil, fmt.Errorf("%s event payload without a pull_request", name)
		}
		if e.PullRequest.Number == 0 {
			e.PullRequest.Number = e.Number
		}
		if e.PullRequest.Head.SHA == "" || e.PullRequest.Base.Ref == "" {
			return nil, fmt.Errorf("%s event payload: pull_request without head.sha or base.ref", name)
		}
	case "workflow_run":
		if e.WorkflowRun == nil || e.WorkflowRun.ID == 0 || e.WorkflowRun.HeadSHA == "" {
			return nil, fmt.Errorf("workflow_run event payload without workflow_run.id and head_sha")
		}
	}
	return &e, nil
}

// IsPullRequest reports whether the event is a pull request's.
func (e *Event) IsPullRequest() bool { return e.PullRequest != nil }

// FromFork reports whether the event's pull request comes from another
// repository: its workflow token cannot write to this one, and the
// comment is left to a workflow_run workflow.
func (e *Event) FromFork() bool {
	pr := e.PullRequest
	if pr == nil {
		return false
	}
	if pr.Head.Repo == nil {
		return true // a deleted fork
	}
	base := e.Repository.FullName
	if pr.Base.Repo != nil && pr.Base.Repo.FullName != "" {
		base = pr.Base.Repo.FullName
	}
	return pr.Head.Repo.FullName != base
}

// PullRequest is the part of a pull request binscope reads.
type PullRequest struct {
	Number int    `json:"number"`
	State  string `json:"state"`
	Head   Ref    `json:"head"`
	Base   Ref    `json:"base"`
}

// Ref is one side of a pull request.
type Ref struct {
	Ref  string `json:"ref"`
	SHA  string `json:"sha"`
	Repo *Repo  `json:"repo"` // null when the fork was deleted
}

// Repo names a repository.
type Repo struct {
	FullName      string `json:"full_name"`
	Fork          bool   `json:"fork"`
	DefaultBranch string `json:"default_branch"`
}

// Artifact is a workflow run's artifact.
type Artifact struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	SizeInBytes int64     `json:"size_in_bytes"`
	Expired     bool      `json:"expired"`
	CreatedAt   time.Time `json:"created_at"`
	DownloadURL string    `json:"archive_download_url"`
	WorkflowRun struct {
		ID         int64  `json:"id"`
		HeadBranch string `json:"head_branch"`
		HeadSHA    string `json:"head_sha"`
	} `json:"workflow_run"`
}

// LatestOnBranch returns the newest artifact of the list made by a run on
// branch that has not expired.
func LatestOnBranch(arts []Artifact, branch string) (Artifact, bool) {
	var best Artifact
	found := false
	for _, a := range arts {
		if a.Expired || a.WorkflowRun.HeadBranch != branch {
			continue
		}
		if !found || a.CreatedAt.After(best.CreatedAt) {
			best, found = a, true
		}
	}
	return best, found
}
