// Package fakegh is a fake of the part of GitHub's REST API that
// binscope ci uses, for tests: pull requests, their comments, and
// artifacts, held in memory and served on 127.0.0.1. It answers as GitHub
// does where binscope depends on it: comments oldest first and paginated,
// artifacts newest first, 401 without a token, 403 for a read-only one
// that writes, and a redirect for an artifact's download.
package fakegh

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Server is the fake API. Its fields are safe to read after the requests
// are done; use the methods while requests may run.
type Server struct {
	*httptest.Server
	Repo string // OWNER/NAME the fake serves

	mu        sync.Mutex
	tokens    map[string]bool // token → may write
	comments  map[int][]Comment
	pulls     map[int]Pull
	artifacts []artifact
	requests  []string
	nextID    int64
	clock     time.Time
}

// Comment is a stored comment.
type Comment struct {
	ID   int64  `json:"id"`
	Body string `json:"body"`
	URL  string `json:"html_url"`
}

// Pull is a stored pull request.
type Pull struct {
	Number  int
	HeadSHA string
	BaseRef string
}

type artifact struct {
	id      int64
	name    string
	branch  string
	sha     string
	run     int64
	created time.Time
	zip     []byte
}

// New starts a fake of repository repo.
func New(repo string) *Server {
	s := &Server{Repo: repo, tokens: map[string]bool{}, comments: map[int][]Comment{}, pulls: map[int]Pull{}, nextID: 1000, clock: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Token lets token call the API; write says whether it may write.
func (s *Server) Token(token string, write bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[token] = write
}

// AddPull adds a pull request.
func (s *Server) AddPull(p Pull) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pulls[p.Number] = p
}

// AddArtifact stores the files of dir as an artifact named name, made by
// run on branch at sha; each is newer than the one before.
func (s *Server) AddArtifact(name, branch, sha string, run int64, dir string) error {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		w, err := zw.Create(filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	})
	if err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	s.clock = s.clock.Add(time.Minute)
	s.artifacts = append(s.artifacts, artifact{id: s.nextID, name: name, branch: branch, sha: sha, run: run, created: s.clock, zip: buf.Bytes()})
	return nil
}

// Comments returns pull request n's comments, oldest first.
func (s *Server) Comments(n int) []Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Comment(nil), s.comments[n]...)
}

// AddComment adds a comment as someone else would.
func (s *Server) AddComment(n int, body string) Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addComment(n, body)
}

func (s *Server) addComment(n int, body string) Comment {
	s.nextID++
	c := Comment{ID: s.nextID, Body: body, URL: fmt.Sprintf("https://github.com/%s/pull/%d#issuecomment-%d", s.Repo, n, s.nextID)}
	s.comments[n] = append(s.comments[n], c)
	return c
}

// Requests returns "METHOD PATH" of every request since the last call,
// with the query, in order.
func (s *Server) Requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.requests
	s.requests = nil
	return r
}

var (
	commentsRe    = regexp.MustCompile(`^/repos/([^/]+/[^/]+)/issues/(\d+)/comments$`)
	commentRe     = regexp.MustCompile(`^/repos/([^/]+/[^/]+)/issues/comments/(\d+)$`)
	pullRe        = regexp.MustCompile(`^/repos/([^/]+/[^/]+)/pulls/(\d+)$`)
	artifactsRe   = regexp.MustCompile(`^/repos/([^/]+/[^/]+)/actions/artifacts$`)
	runArtsRe     = regexp.MustCompile(`^/repos/([^/]+/[^/]+)/actions/runs/(\d+)/artifacts$`)
	artifactZipRe = regexp.MustCompile(`^/repos/([^/]+/[^/]+)/actions/artifacts/(\d+)/zip$`)
	blobRe        = regexp.MustCompile(`^/blob/(\d+)$`)
)

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, r.Method+" "+r.URL.RequestURI())
	reply := func(code int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		json.NewEncoder(w).Encode(v)
	}
	fail := func(code int, msg string) { reply(code, map[string]string{"message": msg}) }

	// Storage blobs, where artifact downloads redirect, take no token.
	if m := blobRe.FindStringSubmatch(r.URL.Path); m != nil {
		if r.Header.Get("Authorization") != "" {
			fail(http.StatusBadRequest, "the storage refuses an Authorization header")
			return
		}
		id, _ := strconv.ParseInt(m[1], 10, 64)
		for _, a := range s.artifacts {
			if a.id == id {
				w.Header().Set("Content-Type", "application/zip")
				w.Write(a.zip)
				return
			}
		}
		fail(http.StatusNotFound, "Not Found")
		return
	}
	token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	write, known := s.tokens[token]
	if !known {
		fail(http.StatusUnauthorized, "Bad credentials")
		return
	}
	if r.Method != "GET" && !write {
		fail(http.StatusForbidden, "Resource not accessible by integration")
		return
	}
	repoOK := func(repo string) bool {
		if repo != s.Repo {
			fail(http.StatusNotFound, "Not Found")
			return false
		}
		return true
	}
	var body struct {
		Body string `json:"body"`
	}
	if r.Method == "POST" || r.Method == "PATCH" {
		data, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err := json.Unmarshal(data, &body); err != nil || body.Body == "" {
			fail(http.StatusUnprocessableEntity, "Invalid request: body is required")
			return
		}
		if len(body.Body) > 65536 {
			fail(http.StatusUnprocessableEntity, "Validation Failed: body is too long (maximum is 65536 characters)")
			return
		}
	}
	path := r.URL.Path
	switch m := (match{}); {
	case m.of(commentsRe, path):
		if !repoOK(m[1]) {
			return
		}
		n, _ := strconv.Atoi(m[2])
		if _, ok := s.pulls[n]; !ok {
			fail(http.StatusNotFound, "Not Found")
			return
		}
		switch r.Method {
		case "GET":
			per, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
			if per <= 0 || per > 100 {
				per = 30
			}
			page, _ := strconv.Atoi(r.URL.Query().Get("page"))
			page = max(page, 1)
			all := s.comments[n]
			lo, hi := min((page-1)*per, len(all)), min(page*per, len(all))
			reply(http.StatusOK, all[lo:hi])
		case "POST":
			reply(http.StatusCreated, s.addComment(n, body.Body))
		default:
			fail(http.StatusMethodNotAllowed, "Method Not Allowed")
		}
	case m.of(commentRe, path):
		if !repoOK(m[1]) {
			return
		}
		id, _ := strconv.ParseInt(m[2], 10, 64)
		for n, cs := range s.comments {
			for i := range cs {
				if cs[i].ID != id {
					continue
				}
				switch r.Method {
				case "PATCH":
					cs[i].Body = body.Body
					reply(http.StatusOK, cs[i])
				case "DELETE":
					s.comments[n] = append(cs[:i:i], cs[i+1:]...)
					w.WriteHeader(http.StatusNoContent)
				default:
					fail(http.StatusMethodNotAllowed, "Method Not Allowed")
				}
				return
			}
		}
		fail(http.StatusNotFound, "Not Found")
	case m.of(pullRe, path):
		if !repoOK(m[1]) {
			return
		}
		n, _ := strconv.Atoi(m[2])
		p, ok := s.pulls[n]
		if !ok {
			fail(http.StatusNotFound, "Not Found")
			return
		}
		reply(http.StatusOK, map[string]any{"number": p.Number, "state": "open",
			"head": map[string]any{"sha": p.HeadSHA}, "base": map[string]any{"ref": p.BaseRef}})
	case m.of(artifactsRe, path):
		if !repoOK(m[1]) {
			return
		}
		name := r.URL.Query().Get("name")
		s.replyArtifacts(reply, func(a artifact) bool { return name == "" || a.name == name })
	case m.of(runArtsRe, path):
		if !repoOK(m[1]) {
			return
		}
		run, _ := strconv.ParseInt(m[2], 10, 64)
		s.replyArtifacts(reply, func(a artifact) bool { return a.run == run })
	case m.of(artifactZipRe, path):
		if !repoOK(m[1]) {
			return
		}
		// To another host, as GitHub's storage is: the client must not
		// send the token there.
		http.Redirect(w, r, strings.Replace(s.URL, "127.0.0.1", "localhost", 1)+"/blob/"+m[2], http.StatusFound)
	default:
		fail(http.StatusNotFound, "Not Found")
	}
}

func (s *Server) replyArtifacts(reply func(int, any), keep func(artifact) bool) {
	var out []map[string]any
	arts := append([]artifact(nil), s.artifacts...)
	sort.SliceStable(arts, func(i, j int) bool { return arts[i].created.After(arts[j].created) })
	for _, a := range arts {
		if !keep(a) {
			continue
		}
		out = append(out, map[string]any{
			"id": a.id, "name": a.name, "size_in_bytes": len(a.zip), "expired": false,
			"created_at":           a.created.Format(time.RFC3339),
			"archive_download_url": fmt.Sprintf("%s/repos/%s/actions/artifacts/%d/zip", s.URL, s.Repo, a.id),
			"workflow_run":         map[string]any{"id": a.run, "head_branch": a.branch, "head_sha": a.sha},
		})
	}
	reply(http.StatusOK, map[string]any{"total_count": len(out), "artifacts": out})
}

// match holds a regexp's submatches.
type match []string

func (m *match) of(re *regexp.Regexp, s string) bool {
	*m = re.FindStringSubmatch(s)
	return *m != nil
}
