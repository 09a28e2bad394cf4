package classify

import (
	"bufio"
	"facturo/internal/toolcheck"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// publicCorpus is the folder of public bounce samples, beside the
// repository in ../shared (never copied into it).
var publicCorpus = toolcheck.SharedPath("testdata", "mail", "bounces-public")

// corpusOrSkip returns the public corpus folder, or skips the test when
// the shared folder is not there.
func corpusOrSkip(tb testing.TB) string {
	tb.Helper()
	if _, err := os.Stat(filepath.Join(publicCorpus, "labels.tsv")); err != nil {
		tb.Skipf("public mail corpus not found at %s (it lives in ../shared beside the repository): %v", publicCorpus, err)
	}
	return publicCorpus
}

// label is one row of labels.tsv: what one recipient of a sample is.
type label struct {
	file      string
	index     int
	status    string
	replyCode int
	reason    string
	hard      bool
}

func readLabels(t *testing.T, dir string) map[string][]label {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "labels.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	byFile := map[string][]label{}
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	first := true
	for sc.Scan() {
		if first {
			first = false
			continue
		}
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 6 {
			continue
		}
		key := cols[0] + "\t" + cols[1]
		if seen[key] {
			continue // the same recipient listed twice
		}
		seen[key] = true
		idx, _ := strconv.Atoi(cols[1])
		code, _ := strconv.Atoi(cols[3])
		byFile[cols[0]] = append(byFile[cols[0]], label{file: cols[0], index: idx, status: cols[2], replyCode: code, reason: cols[4], hard: cols[5] == "true"})
	}
	return byFile
}

// statusAgrees compares our status with a label's. The labels come from a
// tool that, when a message states no enhanced status code, writes a
// made-up one of its own from the reason (x.0.9xx). Such a label means
// "the message gives no code", which we agree with by giving none, or
// only the generic code of the same class.
func statusAgrees(labelled, ours string) bool {
	if len(labelled) >= 7 && labelled[1:5] == ".0.9" {
		return ours == "" || isGenericStatus(ours) && ours[0] == labelled[0]
	}
	return labelled == ours
}

// TestPublicCorpusAccuracy measures how well real bounces from many mail
// systems are read. A labelled bounce is recognised when classified as a
// bounce. The few labels with a temporary status (4.x.x) are messages whose
// sender gave up, so they are bounces too; a delay is accepted for them
// all the same, since prose without a report can leave that open.
// Recipients are compared by position, as the labels number them; the
// auto-replies and complaints among the labels are checked for their kind.
func TestPublicCorpusAccuracy(t *testing.T) {
	dir := corpusOrSkip(t)
	labels := readLabels(t, dir)
	files := make([]string, 0, len(labels))
	for f := range labels {
		files = append(files, f)
	}
	sort.Strings(files)

	var bounceFiles, recognised, rows, hardOK, hardByRule, statusOK, replyOK int
	for _, file := range files {
		ls := labels[file]
		raw, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		res, err := Classify(raw)
		if err != nil {
			t.Errorf("%s: %v", file, err)
		}
		switch ls[0].reason {
		case "vacation":
			if res.Kind != KindAutoReply {
				t.Errorf("%s: kind %s, want auto_reply", file, res.Kind)
			}
			continue
		case "feedback":
			if res.Kind != KindFeedback {
				t.Errorf("%s: kind %s, want feedback", file, res.Kind)
			}
			continue
		}
		bounceFiles++
		if res.Kind == KindBounce || res.Kind == KindDelay && strings.HasPrefix(ls[0].status, "4") {
			recognised++
		} else {
			t.Logf("not recognised: %s: kind %s (subject %q)", file, res.Kind, res.Subject)
		}
		for _, l := range ls {
			rows++
			var rc Recipient
			if l.index-1 < len(res.Recipients) {
				rc = res.Recipients[l.index-1]
			}
			switch {
			case rc.Hard == l.hard:
				hardOK++
			case rc.Hard && hardByProductRule(rc.Diagnostic):
				hardByRule++
				t.Logf("hard/soft (product rule): %s #%d: hard, label soft (%s); diagnostic %q", file, l.index, l.reason, rc.Diagnostic)
			default:
				t.Logf("hard/soft: %s #%d: hard=%v reason=%s, label hard=%v reason=%s; diagnostic %q", file, l.index, rc.Hard, rc.Reason, l.hard, l.reason, rc.Diagnostic)
			}
			if l.replyCode == rc.ReplyCode {
				replyOK++
			}
			if statusAgrees(l.status, rc.Status) {
				statusOK++
			} else {
				t.Logf("status: %s #%d: %q, label %q; diagnostic %q", file, l.index, rc.Status, l.status, rc.Diagnostic)
			}
		}
	}
	pct := func(n, d int) float64 { return 100 * float64(n) / float64(max(d, 1)) }
	t.Logf("recognised as bounces: %d/%d (%.1f %%)", recognised, bounceFiles, pct(recognised, bounceFiles))
	t.Logf("hard/soft agreement:   %d/%d (%.1f %%), and %d more where the server's words make it hard by the product's rules (%.1f %% of the rest agree)",
		hardOK, rows, pct(hardOK, rows), hardByRule, pct(hardOK, rows-hardByRule))
	t.Logf("status agreement:      %d/%d (%.1f %%)", statusOK, rows, pct(statusOK, rows))
	t.Logf("reply code agreement:  %d/%d (%.1f %%), not a goal", replyOK, rows, pct(replyOK, rows))
	if pct(recognised, bounceFiles) < 95 {
		t.Errorf("recognised %.1f %% of the labelled bounces, want at least 95 %%", pct(recognised, bounceFiles))
	}
	if pct(hardOK, rows) < 90 {
		t.Errorf("hard/soft agrees for %.1f %% of the recipients, want at least 90 %%", pct(hardOK, rows))
	}
	if pct(statusOK, rows) < 85 {
		t.Errorf("status agrees for %.1f %% of the recipients, want at least 85 %%", pct(statusOK, rows))
	}
}

// hardByProductRule tells whether a server's diagnostic itself says the
// user is unknown or the account disabled, which the product's rules make
// a hard bounce. The labels disagree on some such rows, because the tool
// that made them calls an unknown user "filtered" when it cannot tell at
// which SMTP step the answer came, and a disabled account "suspend".
func hardByProductRule(diagnostic string) bool {
	switch reasonOf(diagnostic) {
	case ReasonUserUnknown, ReasonDisabled:
		return true
	}
	return false
}

// TestPublicCorpusKinds checks the samples that are not labelled bounces.
func TestPublicCorpusKinds(t *testing.T) {
	dir := corpusOrSkip(t)
	for file, want := range map[string]Kind{
		"not-is-not-bounce-01.eml": KindOther,
		"not-is-not-bounce-02.eml": KindOther, // a person attaching a message
		// A real notice that an agent could not store the message in a full
		// mailbox; the corpus files it among the non-bounces only because it
		// once crashed a parser. It must be read as a soft bounce.
		"not-rb-issue-368-bug.eml": KindBounce,
		"rfc3834-01.eml":           KindAutoReply,
		"rfc3834-02.eml":           KindAutoReply,
		"arf-01.eml":               KindFeedback,
		"arf-02.eml":               KindFeedback,
		// Bounces that carry no labels.
		"lhost-activehunter-01.eml": KindBounce,
		"lhost-activehunter-02.eml": KindBounce,
		"lhost-amavis-01.eml":       KindBounce,
		"lhost-amavis-02.eml":       KindBounce,
		"lhost-mailmarshal-02.eml":  KindBounce,
		"lhost-mimecast-01.eml":     KindBounce,
		"lhost-mimecast-02.eml":     KindBounce,
		"lhost-office365-01.eml":    KindBounce,
		"lhost-office365-02.eml":    KindBounce,
		"lhost-trendmicro-01.eml":   KindBounce,
		"lhost-trendmicro-02.eml":   KindBounce,
		"rhost-cloudflare-01.eml":   KindBounce,
		"rhost-zoho-01.eml":         KindBounce,
		"rhost-zoho-02.eml":         KindBounce,
	} {
		raw, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		res, err := Classify(raw)
		if err != nil {
			t.Errorf("%s: %v", file, err)
		}
		if res.Kind != want {
			t.Errorf("%s: kind %s, want %s", file, res.Kind, want)
		}
		if file == "not-rb-issue-368-bug.eml" {
			if len(res.Recipients) != 1 || res.Recipients[0].Address != "xxxx@yyyyyy.net" || res.Recipients[0].Hard || res.Recipients[0].Reason != ReasonMailboxFull {
				t.Errorf("%s: recipients %+v", file, res.Recipients)
			}
		}
	}
}
