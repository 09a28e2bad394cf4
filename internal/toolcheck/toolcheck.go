// Package toolcheck lets tests use command-line tools and local servers that
// a developer's laptop may lack (poppler-utils, the loopback mail stack):
// without them the test is skipped with a message saying what to install,
// except on CI (CI=true), where a missing tool fails the test instead of
// letting it pass unseen.
package toolcheck

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// Require returns the path of the command name, which the Debian package pkg
// provides.
func Require(t testing.TB, name, pkg string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	msg := fmt.Sprintf("%s not found: install %s (apt-get install -y %s) to run this test", name, pkg, pkg)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// PDFText is the text of a PDF as pdftotext -layout lays it out, pages
// separated by form feeds.
func PDFText(t testing.TB, doc []byte) string {
	t.Helper()
	tool := Require(t, "pdftotext", "poppler-utils")
	file := filepath.Join(t.TempDir(), "document.pdf")
	if err := os.WriteFile(file, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-layout", "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// RequireListening checks that a server the test talks to listens on addr;
// how says how to start it. Like Require, it skips locally and fails on CI.
func RequireListening(t testing.TB, addr, how string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err == nil {
		conn.Close()
		return
	}
	msg := fmt.Sprintf("nothing listens on %s: %s", addr, how)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// SharedPath is the path of elem inside ../shared, the folder of test data,
// tools and validators that sits beside the repository; it is found from the
// module's root, so a test reads the same file wherever its package lives.
func SharedPath(elem ...string) string {
	dir, err := os.Getwd()
	if err != nil {
		return filepath.Join(append([]string{"..", "shared"}, elem...)...)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(append([]string{filepath.Dir(dir), "shared"}, elem...)...)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return filepath.Join(append([]string{"..", "shared"}, elem...)...)
		}
		dir = parent
	}
}
