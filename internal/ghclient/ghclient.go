// Package ghclient calls the little of GitHub's REST API that binscope ci
// uses: a pull request's comments (to keep one sticky comment), a pull
// request's head, and workflow artifacts (a base branch's report, a
// pull request run's reports). The values it reads and the event payloads
// are package ghapi's.
//
// It links net/http and crypto/tls, +3.7M of a stripped binscope (7.1M →
// 11M, measured with binscope diff), for the Action alone: so binscope
// links it only when built with -tags ghapi, as action.yml builds it
// (cmd/binscope/ci_ghapi.go).
//
// It is written by hand on net/http rather than with a client library:
// seven endpoints do not justify a generated client of hundreds, and the
// tests run it against a fake API on 127.0.0.1. Like every library
// package of binscope, it reads no environment: the caller gives the API's
// address and the token.
package ghclient

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/binscope/binscope/internal/ghapi"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// MaxArtifact bounds an artifact download: binscope's reports are a few
// megabytes, so anything far larger is not one of them.
const MaxArtifact = 256 << 20

// maxBody bounds an API response other than an artifact.
const maxBody = 32 << 20

// Client calls the API at BaseURL (https://api.github.com, or a GitHub
// Enterprise server's /api/v3) with Token.
type Client struct {
	BaseURL string
	Token   string
	HTTP    *http.Client // nil means a client with a one-minute timeout
}

// Error is a response that was not a success: its status and GitHub's
// message, as "403 Resource not accessible by integration".
type Error struct {
	Method, Path string
	StatusCode   int
	Message      string
}

func (e *Error) Error() string {
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.StatusCode)
	}
	return fmt.Sprintf("GitHub API %s %s: %d %s", e.Method, e.Path, e.StatusCode, msg)
}

// IsStatus reports whether err is an API Error with that status.
func IsStatus(err error, code int) bool {
	var e *Error
	return errors.As(err, &e) && e.StatusCode == code
}

func (c *Client) http() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return &http.Client{Timeout: time.Minute}
}

// do sends one request and decodes a JSON response into out (when not
// nil). path is relative to BaseURL, with its query.
func (c *Client) do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(c.BaseURL, "/")+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/vnd.github+json")
	req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	resp, err := c.http().Do(req)
	if err != nil {
		return fmt.Errorf("GitHub API %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return fmt.Errorf("GitHub API %s %s: %w", method, path, err)
	}
	if len(data) > maxBody {
		return fmt.Errorf("GitHub API %s %s: response larger than %d MiB", method, path, maxBody>>20)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		var m struct {
			Message string `json:"message"`
		}
		json.Unmarshal(data, &m)
		return &Error{Method: method, Path: path, StatusCode: resp.StatusCode, Message: m.Message}
	}
	if out == nil || resp.StatusCode == http.StatusNoContent {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("GitHub API %s %s: the response is not the JSON expected: %v", method, path, err)
	}
	return nil
}

// repoPath is /repos/OWNER/NAME, refusing a repository that is not
// OWNER/NAME.
func repoPath(repo string) (string, error) {
	owner, name, ok := strings.Cut(repo, "/")
	if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
		return "", fmt.Errorf("invalid repository %q: want OWNER/NAME", repo)
	}
	return "/repos/" + url.PathEscape(owner) + "/" + url.PathEscape(name), nil
}

// Comment is an issue or pull request comment.
type Comment struct {
	ID   int64  `json:"id"`
	Body string `json:"body"`
	URL  string `json:"html_url"`
}

// maxPages bounds the pages of comments read: 100 pages of 100.
const maxPages = 100

// Comments lists every comment of pull request (or issue) n, oldest first.
func (c *Client) Comments(ctx context.Context, repo string, n int) ([]Comment, error) {
	rp, err := repoPath(repo)
	if err != nil {
		return nil, err
	}
	var all []Comment
	for page := 1; page <= maxPages; page++ {
		var cs []Comment
		if err := c.do(ctx, "GET", fmt.Sprintf("%s/issues/%d/comments?per_page=100&page=%d", rp, n, page), nil, &cs); err != nil {
			return nil, err
		}
		all = append(all, cs...)
		if len(cs) < 100 {
			break
		}
	}
	return all, nil
}

// CreateComment adds a comment to pull request (or issue) n.
func (c *Client) CreateComment(ctx context.Context, repo string, n int, body string) (Comment, error) {
	var out Comment
	rp, err := repoPath(repo)
	if err != nil {
		return out, err
	}
	err = c.do(ctx, "POST", fmt.Sprintf("%s/issues/%d/comments", rp, n), map[string]string{"body": body}, &out)
	return out, err
}

// UpdateComment replaces the body of comment id.
func (c *Client) UpdateComment(ctx context.Context, repo string, id int64, body string) (Comment, error) {
	var out Comment
	rp, err := repoPath(repo)
	if err != nil {
		return out, err
	}
	err = c.do(ctx, "PATCH", fmt.Sprintf("%s/issues/comments/%d", rp, id), map[string]string{"body": body}, &out)
	return out, err
}

// DeleteComment deletes comment id.
func (c *Client) DeleteComment(ctx context.Context, repo string, id int64) error {
	rp, err := repoPath(repo)
	if err != nil {
		return err
	}
	return c.do(ctx, "DELETE", fmt.Sprintf("%s/issues/comments/%d", rp, id), nil, nil)
}

// Upserted is what Upsert did.
type Upserted struct {
	Comment Comment
	Created bool // a new comment; else an existing one was updated
	Deleted int  // duplicates removed (a concurrent run's)
}

// Upsert keeps one comment on pull request n whose body contains marker
// (an HTML comment, which GitHub does not show): the oldest such comment
// is updated to body, or a comment is created when there is none. Two
// runs that create one at once would leave two; so after creating, Upsert
// lists again and keeps only the oldest, deleting the later ones: one
// comment, never two.
func (c *Client) Upsert(ctx context.Context, repo string, n int, marker, body string) (Upserted, error) {
	if marker == "" || !strings.Contains(body, marker) {
		return Upserted{}, errors.New("sticky comment: the body must contain its marker")
	}
	find := func() ([]Comment, error) {
		cs, err := c.Comments(ctx, repo, n)
		if err != nil {
			return nil, err
		}
		var mine []Comment
		for _, cm := range cs {
			if strings.Contains(cm.Body, marker) {
				mine = append(mine, cm)
			}
		}
		return mine, nil
	}
	mine, err := find()
	if err != nil {
		return Upserted{}, err
	}
	if len(mine) > 0 {
		up := Upserted{}
		for _, dup := range mine[1:] {
			if err := c.DeleteComment(ctx, repo, dup.ID); err != nil && !IsStatus(err, http.StatusNotFound) {
				return up, err
			}
			up.Deleted++
		}
		if mine[0].Body == body {
			up.Comment = mine[0]
			return up, nil
		}
		cm, err := c.UpdateComment(ctx, repo, mine[0].ID, body)
		up.Comment = cm
		return up, err
	}
	cm, err := c.CreateComment(ctx, repo, n, body)
	if err != nil {
		return Upserted{}, err
	}
	up := Upserted{Comment: cm, Created: true}
	mine, err = find()
	if err != nil {
		return up, err
	}
	for _, dup := range mine {
		if dup.ID == mine[0].ID {
			continue
		}
		if err := c.DeleteComment(ctx, repo, dup.ID); err != nil && !IsStatus(err, http.StatusNotFound) {
			return up, err
		}
		up.Deleted++
	}
	if len(mine) > 0 && mine[0].ID != cm.ID {
		// A concurrent run's comment is older: ours was the duplicate.
		up.Created = false
		cm, err = c.UpdateComment(ctx, repo, mine[0].ID, body)
		up.Comment = cm
		return up, err
	}
	return up, nil
}

// PullRequest reads pull request n.
func (c *Client) PullRequest(ctx context.Context, repo string, n int) (ghapi.PullRequest, error) {
	var pr ghapi.PullRequest
	rp, err := repoPath(repo)
	if err != nil {
		return pr, err
	}
	err = c.do(ctx, "GET", fmt.Sprintf("%s/pulls/%d", rp, n), nil, &pr)
	return pr, err
}

// Artifacts lists the repository's artifacts named name, newest first
// (the first 100, which is where a branch's latest is).
func (c *Client) Artifacts(ctx context.Context, repo, name string) ([]ghapi.Artifact, error) {
	rp, err := repoPath(repo)
	if err != nil {
		return nil, err
	}
	var out struct {
		Artifacts []ghapi.Artifact `json:"artifacts"`
	}
	err = c.do(ctx, "GET", rp+"/actions/artifacts?per_page=100&name="+url.QueryEscape(name), nil, &out)
	return out.Artifacts, err
}

// RunArtifacts lists the artifacts of workflow run id.
func (c *Client) RunArtifacts(ctx context.Context, repo string, id int64) ([]ghapi.Artifact, error) {
	rp, err := repoPath(repo)
	if err != nil {
		return nil, err
	}
	var out struct {
		Artifacts []ghapi.Artifact `json:"artifacts"`
	}
	err = c.do(ctx, "GET", rp+"/actions/runs/"+strconv.FormatInt(id, 10)+"/artifacts?per_page=100", nil, &out)
	return out.Artifacts, err
}

// Download fetches an artifact's zip archive and returns its files by
// name. GitHub answers with a redirect to storage elsewhere, which the
// HTTP client follows without the token (it drops Authorization on a
// redirect to another host). Files are read up to MaxArtifact in all.
func (c *Client) Download(ctx context.Context, a ghapi.Artifact) (map[string][]byte, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", a.DownloadURL, nil)
	if err != nil {
		return nil, fmt.Errorf("artifact %s: %w", a.Name, err)
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	resp, err := c.http().Do(req)
	if err != nil {
		return nil, fmt.Errorf("artifact %s: %w", a.Name, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, &Error{Method: "GET", Path: a.DownloadURL, StatusCode: resp.StatusCode}
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxArtifact+1))
	if err != nil {
		return nil, fmt.Errorf("artifact %s: %w", a.Name, err)
	}
	if len(data) > MaxArtifact {
		return nil, fmt.Errorf("artifact %s: larger than %d MiB", a.Name, MaxArtifact>>20)
	}
	return Unzip(data, MaxArtifact)
}

// Unzip returns the regular files of a zip archive by name, refusing
// names that climb out of the archive and more than limit bytes in all.
func Unzip(data []byte, limit int64) (map[string][]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("artifact: not a zip archive: %v", err)
	}
	files := map[string][]byte{}
	var total int64
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		name := f.Name
		if strings.HasPrefix(name, "/") || strings.Contains(name, "\\") || slices.Contains(strings.Split(name, "/"), "..") {
			return nil, fmt.Errorf("artifact: file name %q leaves the archive", name)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("artifact: %s: %v", name, err)
		}
		b, err := io.ReadAll(io.LimitReader(rc, limit-total+1))
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("artifact: %s: %v", name, err)
		}
		total += int64(len(b))
		if total > limit {
			return nil, fmt.Errorf("artifact: more than %d MiB unpacked", limit>>20)
		}
		files[name] = b
	}
	return files, nil
}
