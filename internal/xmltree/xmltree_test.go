package xmltree_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"facturo/internal/toolcheck"
	"facturo/internal/xmltree"
)

// TestWrittenFormIsCanonical compares what Document writes with what
// libxml2 canonicalises it to: the same bytes, so a digest over the tree is
// a digest over the file.
func TestWrittenFormIsCanonical(t *testing.T) {
	tool := toolcheck.Require(t, "xmllint", "libxml2-utils")
	root := xmltree.New("a:Root").Declare("b", "urn:b").Declare("a", "urn:a").Set("z", "1").Set("Id", "x\t\"<&>\n")
	root.AddText("a:Text", "tab\there & <there> \"quoted\" ünïcode\r\nnext")
	child := root.Add("b:Child").Declare("c", "urn:c")
	child.AddText("c:Leaf", "")
	child.Add("Empty")
	written := xmltree.Document(root)
	file := filepath.Join(t.TempDir(), "doc.xml")
	if err := os.WriteFile(file, written, 0o644); err != nil {
		t.Fatal(err)
	}
	canonical, err := exec.Command(tool, "--c14n", file).Output()
	if err != nil {
		t.Fatal(err)
	}
	body := written[bytes.IndexByte(written, '\n')+1:]
	if !bytes.Equal(body, canonical) {
		t.Errorf("written:\n%s\ncanonical:\n%s", body, canonical)
	}
	// A subtree carries the namespaces in scope on its apex.
	if got, want := string(child.Canonical(root.Namespaces())), `<b:Child xmlns:a="urn:a" xmlns:b="urn:b" xmlns:c="urn:c"><c:Leaf></c:Leaf><Empty></Empty></b:Child>`; got != want {
		t.Errorf("subtree:\n got %s\nwant %s", got, want)
	}
}
