// Package einvoicetest runs the official e-invoice validators kept in
// ../shared/validators over many documents at once: the XSD through
// xmllint, and the business rules (EN 16931, Peppol BIS 3.0) through
// Saxon-HE, each stylesheet compiled once for a whole folder of documents,
// since starting Java and compiling the rules takes seconds.
package einvoicetest

import (
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"facturo/internal/toolcheck"
)

// Kinds of documents.
const (
	UBL      = "ubl"
	CII      = "cii"
	Facturae = "facturae"
)

// saxonJar is where Debian's libsaxonhe-java puts Saxon-HE.
const saxonJar = "/usr/share/java/Saxon-HE.jar"

// Validate checks every document (by name) as kind and returns the
// problems found in each: schema errors and the failed assertions flagged
// fatal or error. Warnings are not problems. Without xmllint, Java or
// Saxon-HE the test is skipped, or fails on CI.
func Validate(t testing.TB, kind string, docs map[string][]byte) map[string][]string {
	t.Helper()
	xmllint := toolcheck.Require(t, "xmllint", "libxml2-utils")
	java := ""
	if kind != Facturae {
		java = toolcheck.Require(t, "java", "default-jre-headless")
		if _, err := os.Stat(saxonJar); err != nil {
			msg := saxonJar + " not found: install libsaxonhe-java (apt-get install -y libsaxonhe-java) to run this test"
			if os.Getenv("CI") == "true" {
				t.Fatal(msg)
			}
			t.Skip(msg)
		}
	}
	validators := toolcheck.SharedPath("validators")
	if _, err := os.Stat(validators); err != nil {
		t.Fatalf("the validators: %v", err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	if err := os.Mkdir(in, 0o755); err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(docs))
	files := map[string]string{} // file name → document name
	for name := range docs {
		names = append(names, name)
	}
	sort.Strings(names)
	groups := map[string][]string{} // schema → files
	for i, name := range names {
		file := fmt.Sprintf("d%04d.xml", i)
		files[file] = name
		if err := os.WriteFile(filepath.Join(in, file), docs[name], 0o644); err != nil {
			t.Fatal(err)
		}
		groups[schemaOf(validators, kind, docs[name])] = append(groups[schemaOf(validators, kind, docs[name])], file)
	}

	problems := map[string][]string{}
	var mu sync.Mutex
	report := func(file, problem string) {
		mu.Lock()
		defer mu.Unlock()
		name := files[file]
		problems[name] = append(problems[name], problem)
	}
	var wg sync.WaitGroup
	for schema, group := range groups {
		wg.Go(func() { runXSD(t, xmllint, validators, schema, in, group, report) })
	}
	for _, rules := range rulesOf(validators, kind) {
		wg.Go(func() { runRules(t, java, rules, in, filepath.Join(dir, "out-"+filepath.Base(rules)), report) })
	}
	wg.Wait()
	return problems
}

// schemaOf is the XSD a document is checked against: for UBL the one of
// its root element (Invoice or CreditNote).
func schemaOf(validators, kind string, doc []byte) string {
	switch kind {
	case UBL:
		root := "Invoice"
		if i := strings.Index(string(doc), "<CreditNote"); i >= 0 && i < 200 {
			root = "CreditNote"
		}
		return filepath.Join(validators, "ubl-2.1", "xsd", "maindoc", "UBL-"+root+"-2.1.xsd")
	case CII:
		return filepath.Join(validators, "cii", "xsd", "CII", "uncefact", "data", "standard", "CrossIndustryInvoice_100pD16B.xsd")
	}
	return filepath.Join(validators, "facturae", "facturaev3_2_2.xsd")
}

func rulesOf(validators, kind string) []string {
	switch kind {
	case UBL:
		return []string{filepath.Join(validators, "en16931", "ubl", "xslt", "EN16931-UBL-validation.xslt"),
			filepath.Join(validators, "peppol", "PEPPOL-EN16931-UBL.xsl")}
	case CII:
		return []string{filepath.Join(validators, "en16931", "cii", "xslt", "EN16931-CII-validation.xslt")}
	}
	return nil
}

// xmllintError is one line of xmllint's complaints: "file:line: …".
var xmllintError = regexp.MustCompile(`^([^:]*/(d\d{4}\.xml)):(\d+): (.*)$`)

func runXSD(t testing.TB, xmllint, validators, schema, dir string, files []string, report func(file, problem string)) {
	args := []string{"--noout", "--nonet", "--schema", schema}
	for _, f := range files {
		args = append(args, filepath.Join(dir, f))
	}
	cmd := exec.Command(xmllint, args...)
	cmd.Env = append(os.Environ(), "XML_CATALOG_FILES="+filepath.Join(validators, "catalog.xml"))
	out, err := cmd.CombinedOutput()
	if err == nil {
		return
	}
	seen := false
	for line := range strings.SplitSeq(string(out), "\n") {
		if m := xmllintError.FindStringSubmatch(line); m != nil {
			report(m[2], "XSD line "+m[3]+": "+m[4])
			seen = true
		}
	}
	if !seen {
		t.Errorf("xmllint failed without naming a file: %v\n%s", err, out)
	}
}

// svrl is the part of a Schematron report the checks read.
type svrl struct {
	Failed []struct {
		ID   string `xml:"id,attr"`
		Flag string `xml:"flag,attr"`
		Text string `xml:"text"`
	} `xml:"failed-assert"`
}

func runRules(t testing.TB, java, rules, in, out string, report func(file, problem string)) {
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Error(err)
		return
	}
	cmd := exec.Command(java, "-jar", saxonJar, "-s:"+in, "-xsl:"+rules, "-o:"+out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("the rules %s could not run: %v\n%s", filepath.Base(rules), err, msg)
		return
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Error(err)
		return
	}
	for _, e := range entries {
		raw, err := os.ReadFile(filepath.Join(out, e.Name()))
		if err != nil {
			t.Error(err)
			continue
		}
		var r svrl
		if err := xml.Unmarshal(raw, &r); err != nil {
			t.Errorf("the report of %s: %v", e.Name(), err)
			continue
		}
		for _, f := range r.Failed {
			flag := strings.ToLower(f.Flag)
			if flag == "" {
				flag = "fatal"
			}
			if !slices.Contains([]string{"fatal", "error"}, flag) {
				continue
			}
			report(e.Name(), fmt.Sprintf("%s %s %s: %s", filepath.Base(rules), flag, f.ID, strings.Join(strings.Fields(f.Text), " ")))
		}
	}
}
