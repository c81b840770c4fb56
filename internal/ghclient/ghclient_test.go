package ghclient_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/binscope/binscope/internal/ghapi"
	"github.com/binscope/binscope/internal/ghapi/fakegh"
	"github.com/binscope/binscope/internal/ghclient"
)

const repo = "octo/pomo"

func fake(t *testing.T) (*fakegh.Server, *ghclient.Client) {
	t.Helper()
	s := fakegh.New(repo)
	t.Cleanup(s.Close)
	s.Token("rw", true)
	s.Token("ro", false)
	s.AddPull(fakegh.Pull{Number: 7, HeadSHA: "b2", BaseRef: "main"})
	return s, &ghclient.Client{BaseURL: s.URL, Token: "rw"}
}

// The first upsert creates the comment, the second updates it: one
// comment, never two; other comments are left alone.
func TestUpsert(t *testing.T) {
	s, c := fake(t)
	ctx := context.Background()
	s.AddComment(7, "LGTM")
	marker := "<!-- binscope-ci: .binscope.yaml -->"
	up, err := c.Upsert(ctx, repo, 7, marker, marker+"\nfirst")
	if err != nil || !up.Created {
		t.Fatalf("first Upsert = %+v, %v; want a created comment", up, err)
	}
	up2, err := c.Upsert(ctx, repo, 7, marker, marker+"\nsecond")
	if err != nil || up2.Created || up2.Comment.ID != up.Comment.ID {
		t.Fatalf("second Upsert = %+v, %v; want comment %d updated", up2, err, up.Comment.ID)
	}
	cs := s.Comments(7)
	if len(cs) != 2 || cs[0].Body != "LGTM" || cs[1].Body != marker+"\nsecond" {
		t.Fatalf("comments = %+v; want LGTM and one updated binscope comment", cs)
	}
	// Another key is another comment.
	if up3, err := c.Upsert(ctx, repo, 7, "<!-- binscope-ci: b -->", "<!-- binscope-ci: b -->\nb"); err != nil || !up3.Created {
		t.Fatalf("Upsert of key b = %+v, %v", up3, err)
	}
	if n := len(s.Comments(7)); n != 3 {
		t.Fatalf("%d comments; want 3", n)
	}
	// A body without its marker could never be found again.
	if _, err := c.Upsert(ctx, repo, 7, marker, "no marker"); err == nil {
		t.Fatal("Upsert of a body without its marker succeeded")
	}
}

// Duplicates left by concurrent runs are removed, keeping the oldest.
func TestUpsertDuplicates(t *testing.T) {
	s, c := fake(t)
	marker := "<!-- binscope-ci: k -->"
	first := s.AddComment(7, marker+"\nrun 1")
	s.AddComment(7, marker+"\nrun 2")
	up, err := c.Upsert(context.Background(), repo, 7, marker, marker+"\nrun 3")
	if err != nil || up.Deleted != 1 || up.Comment.ID != first.ID {
		t.Fatalf("Upsert = %+v, %v; want comment %d kept and 1 deleted", up, err, first.ID)
	}
	if cs := s.Comments(7); len(cs) != 1 || cs[0].Body != marker+"\nrun 3" {
		t.Fatalf("comments = %+v", cs)
	}
}

// Comments are read past the first page.
func TestCommentsPages(t *testing.T) {
	s, c := fake(t)
	for i := range 250 {
		s.AddComment(7, fmt.Sprint("c", i))
	}
	marker := "<!-- binscope-ci: k -->"
	s.AddComment(7, marker)
	cs, err := c.Comments(context.Background(), repo, 7)
	if err != nil || len(cs) != 251 {
		t.Fatalf("Comments = %d, %v; want 251", len(cs), err)
	}
	up, err := c.Upsert(context.Background(), repo, 7, marker, marker+" x")
	if err != nil || up.Created {
		t.Fatalf("Upsert = %+v, %v; want the comment on page 3 updated", up, err)
	}
}

// A read-only token (a fork's) cannot write: the error says so, with
// GitHub's message; no token at all is refused too.
func TestErrors(t *testing.T) {
	s, _ := fake(t)
	ro := &ghclient.Client{BaseURL: s.URL, Token: "ro"}
	_, err := ro.CreateComment(context.Background(), repo, 7, "x")
	if !ghclient.IsStatus(err, http.StatusForbidden) || !strings.Contains(err.Error(), "403 Resource not accessible by integration") {
		t.Fatalf("CreateComment with a read-only token: %v", err)
	}
	none := &ghclient.Client{BaseURL: s.URL}
	if _, err := none.Comments(context.Background(), repo, 7); !ghclient.IsStatus(err, http.StatusUnauthorized) {
		t.Fatalf("Comments without a token: %v", err)
	}
	if _, err := ro.Comments(context.Background(), "octo", 7); err == nil || !strings.Contains(err.Error(), `invalid repository "octo"`) {
		t.Fatalf("Comments of repository octo: %v", err)
	}
	if _, err := ro.PullRequest(context.Background(), repo, 99); !ghclient.IsStatus(err, http.StatusNotFound) {
		t.Fatalf("PullRequest 99: %v", err)
	}
}

// An artifact is found by branch, newest first, and downloaded through
// the redirect without the token reaching the storage.
func TestArtifacts(t *testing.T) {
	s, c := fake(t)
	dir := t.TempDir()
	write := func(content string) {
		if err := os.WriteFile(filepath.Join(dir, "report.json"), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("old")
	s.AddArtifact("binscope-report", "main", "a1", 1, dir)
	write("feature")
	s.AddArtifact("binscope-report", "feature", "f1", 2, dir)
	write("new")
	s.AddArtifact("binscope-report", "main", "a2", 3, dir)
	arts, err := c.Artifacts(context.Background(), repo, "binscope-report")
	if err != nil || len(arts) != 3 {
		t.Fatalf("Artifacts = %d, %v", len(arts), err)
	}
	a, ok := ghapi.LatestOnBranch(arts, "main")
	if !ok || a.WorkflowRun.HeadSHA != "a2" {
		t.Fatalf("LatestOnBranch = %+v, %v; want a2's", a, ok)
	}
	files, err := c.Download(context.Background(), a)
	if err != nil || string(files["report.json"]) != "new" {
		t.Fatalf("Download = %q, %v", files["report.json"], err)
	}
	if _, ok := ghapi.LatestOnBranch(arts, "release"); ok {
		t.Fatal("LatestOnBranch found an artifact of a branch that has none")
	}
	run, err := c.RunArtifacts(context.Background(), repo, 2)
	if err != nil || len(run) != 1 || run[0].WorkflowRun.HeadSHA != "f1" {
		t.Fatalf("RunArtifacts(2) = %+v, %v", run, err)
	}
}

// Unzip refuses names that climb out and archives that unpack too big.
func TestUnzip(t *testing.T) {
	mk := func(name string, size int) []byte {
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		w, _ := zw.Create(name)
		w.Write(bytes.Repeat([]byte("x"), size))
		zw.Close()
		return b.Bytes()
	}
	if _, err := ghclient.Unzip(mk("../evil", 1), 100); err == nil || !strings.Contains(err.Error(), "leaves the archive") {
		t.Errorf("Unzip(../evil): %v", err)
	}
	if _, err := ghclient.Unzip(mk("big", 1000), 100); err == nil || !strings.Contains(err.Error(), "unpacked") {
		t.Errorf("Unzip(big): %v", err)
	}
	if _, err := ghclient.Unzip([]byte("not a zip"), 100); err == nil || !strings.Contains(err.Error(), "not a zip") {
		t.Errorf("Unzip(garbage): %v", err)
	}
	if f, err := ghclient.Unzip(mk("ok/report.json", 10), 100); err != nil || len(f["ok/report.json"]) != 10 {
		t.Errorf("Unzip(ok) = %v, %v", f, err)
	}
}
