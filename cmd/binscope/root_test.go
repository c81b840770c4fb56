package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestWriteFileAtomicSyncs checks that the data of -o reaches the disk
// before the rename makes it the file.
func TestWriteFileAtomicSyncs(t *testing.T) {
	var synced []string
	defer func(f func(*os.File) error) { syncFile = f }(syncFile)
	syncFile = func(f *os.File) error {
		synced = append(synced, filepath.Base(f.Name()))
		if _, err := os.Stat(filepath.Join(filepath.Dir(f.Name()), "report.txt")); err == nil {
			t.Error("report.txt exists before its data was synced")
		}
		return f.Sync()
	}
	name := filepath.Join(t.TempDir(), "report.txt")
	if err := writeFileAtomic(name, []byte("hello\n")); err != nil {
		t.Fatal(err)
	}
	if len(synced) != 1 || synced[0] == "report.txt" {
		t.Errorf("synced %q, want the one temporary file", synced)
	}
	if data, err := os.ReadFile(name); err != nil || string(data) != "hello\n" {
		t.Errorf("report.txt = %q, %v", data, err)
	}
}

// TestGetenvFromRun checks that commands read the environment run was
// given, not the process's: the last entry of a key wins.
func TestGetenvFromRun(t *testing.T) {
	o := &globalOptions{env: []string{"NO_COLOR=", "A=1", "NO_COLOR=1", "B"}}
	for key, want := range map[string]string{"NO_COLOR": "1", "A": "1", "B": "", "C": ""} {
		if got := o.getenv(key); got != want {
			t.Errorf("getenv(%q) = %q, want %q", key, got, want)
		}
	}
	if o.color() {
		t.Error("color() with NO_COLOR=1 in the given environment")
	}
}
