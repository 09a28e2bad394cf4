package inbox_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"facturo/hooks/inbox"
	"facturo/internal/imaptest"
)

// numbered is a reply to the world's invoice whose text says its number, so
// that each inbound message can be told from the others.
func (w *world) numbered(n int) []byte {
	return fmt.Appendf(nil, "From: Ana <ana@client.example>\r\nTo: ar+%s@billing.example.test\r\nSubject: Re: Invoice\r\n"+
		"Message-ID: <n%d@client.example>\r\n\r\nmessage %d\r\n", w.invoice, n, n)
}

// readOnce waits until the inbound collection holds exactly the messages
// numbered want, each once, and checks which mailbox each came from.
func (w *world) readOnce(t *testing.T, want map[int]string) {
	t.Helper()
	w.waitInbound(t, len(want))
	time.Sleep(300 * time.Millisecond) // a message read twice would show by now
	rows, err := w.app.FindAllRecords(inbox.Inbound)
	must(t, err)
	seen := map[int]int{}
	for _, r := range rows {
		var n int
		if _, err := fmt.Sscanf(r.GetString("text"), "message %d", &n); err != nil {
			t.Fatalf("inbound text %q", r.GetString("text"))
		}
		seen[n]++
		if from, ok := want[n]; ok && r.GetString("mailbox") != from {
			t.Errorf("message %d came from %q, want %q", n, r.GetString("mailbox"), from)
		}
	}
	for n := range want {
		if seen[n] != 1 {
			t.Errorf("message %d read %d times, want once", n, seen[n])
		}
	}
	if len(rows) != len(want) {
		t.Errorf("%d inbound messages, want %d: %v", len(rows), len(want), seen)
	}
}

func (w *world) key(user, folder string) string {
	return fmt.Sprintf("%s@%s/%s", user, w.imap.Host, folder)
}

// TestOneAccountWithTwoFoldersAndASecondAccount reads three mailboxes at
// once: the INBOX and a "Bounces" folder of one account (as a server-side
// filter leaves them) and the INBOX of another account (ar@ beside
// bounces@), and keeps a checkpoint for each.
func TestOneAccountWithTwoFoldersAndASecondAccount(t *testing.T) {
	w := newWorld(t)
	w.imap.Account(imaptest.Username).CreateMailbox(t, "Bounces")
	w.imap.AddAccount(t, "ar", imaptest.Password)
	w.addMailbox(t, imaptest.Username, "Bounces", nil)
	w.addMailbox(t, "ar", "INBOX", nil)

	w.imap.Append(t, "INBOX", w.numbered(1))
	w.imap.Append(t, "Bounces", w.numbered(2))
	w.imap.Account("ar").Append(t, "INBOX", w.numbered(3))
	w.startPoller(t)
	w.readOnce(t, map[int]string{1: w.key(imaptest.Username, "INBOX"), 2: w.key(imaptest.Username, "Bounces"), 3: w.key("ar", "INBOX")})

	// New mail in each is read as it comes.
	w.imap.Account("ar").Append(t, "INBOX", w.numbered(4))
	w.imap.Append(t, "Bounces", w.numbered(5))
	w.readOnce(t, map[int]string{1: w.key(imaptest.Username, "INBOX"), 2: w.key(imaptest.Username, "Bounces"),
		3: w.key("ar", "INBOX"), 4: w.key("ar", "INBOX"), 5: w.key(imaptest.Username, "Bounces")})

	cps, err := w.app.FindAllRecords(inbox.InboxCheckpoints)
	must(t, err)
	got := map[string]int{}
	for _, cp := range cps {
		got[cp.GetString("username")+"/"+cp.GetString("mailbox")] = cp.GetInt("last_uid")
	}
	if len(got) != 3 || got["bounces/INBOX"] != 1 || got["bounces/Bounces"] != 2 || got["ar/INBOX"] != 2 {
		t.Errorf("checkpoints %v, want bounces/INBOX at 1, bounces/Bounces at 2, ar/INBOX at 2", got)
	}
	eventually(func() bool { return w.imap.Account("ar").Count(t, "Processed") == 2 })
	if w.imap.Account("ar").Count(t, "Processed") != 2 || w.imap.Count(t, "Processed") != 3 {
		t.Errorf("each account moves what it read to its own Processed folder: ar %d, bounces %d",
			w.imap.Account("ar").Count(t, "Processed"), w.imap.Count(t, "Processed"))
	}
}

// TestChangingTheMailboxSettingsNeitherSkipsNorRepeats points one row at
// another account and back, with mail arriving in both meanwhile and read
// mail left in place (flagged): every message is read, and read once,
// because each account and folder keeps its own checkpoint.
func TestChangingTheMailboxSettingsNeitherSkipsNorRepeats(t *testing.T) {
	w := newWorld(t)
	w.imap.AddAccount(t, "ar", imaptest.Password)
	w.box.Set("after_reading", "flag")
	must(t, w.app.Save(w.box))
	bounces, ar := w.key(imaptest.Username, "INBOX"), w.key("ar", "INBOX")

	w.imap.Append(t, "INBOX", w.numbered(1))
	w.imap.Account("ar").Append(t, "INBOX", w.numbered(2))
	w.startPoller(t)
	w.readOnce(t, map[int]string{1: bounces})

	// The row now reads the other account; mail keeps coming to the first.
	w.box.Set("username", "ar")
	must(t, w.app.Save(w.box))
	w.imap.Append(t, "INBOX", w.numbered(3))
	w.readOnce(t, map[int]string{1: bounces, 2: ar})

	// Back to the first account, typed differently: it resumes after 1.
	w.box.Set("username", " "+imaptest.Username)
	w.box.Set("mailbox", "inbox")
	w.box.Set("host", strings.ToUpper(w.imap.Host))
	must(t, w.app.Save(w.box))
	w.readOnce(t, map[int]string{1: bounces, 2: ar, 3: bounces})

	// A second row for the other account resumes after 2 there.
	w.addMailbox(t, "ar", "INBOX", map[string]any{"after_reading": "flag"})
	w.imap.Account("ar").Append(t, "INBOX", w.numbered(4))
	w.readOnce(t, map[int]string{1: bounces, 2: ar, 3: bounces, 4: ar})

	// Disabled and enabled again, a row resumes where it stood.
	w.box.Set("enabled", false)
	must(t, w.app.Save(w.box))
	w.imap.Append(t, "INBOX", w.numbered(5))
	time.Sleep(300 * time.Millisecond)
	if n, _ := w.app.CountRecords(inbox.Inbound); n != 4 {
		t.Fatalf("a disabled mailbox was read: %d inbound messages", n)
	}
	w.box.Set("enabled", true)
	must(t, w.app.Save(w.box))
	w.readOnce(t, map[int]string{1: bounces, 2: ar, 3: bounces, 4: ar, 5: bounces})
}

// TestAMailboxIsReadByOneRow refuses a second row for a mailbox already
// read, however its host and folder are typed: two readers of one mailbox
// would read each message twice.
func TestAMailboxIsReadByOneRow(t *testing.T) {
	w := newWorld(t)
	col, err := w.app.FindCollectionByNameOrId(inbox.InboxMailboxes)
	must(t, err)
	twin := w.box.Clone()
	twin.Id = ""
	twin.MarkAsNew()
	twin.Set("host", " "+strings.ToUpper(w.imap.Host))
	twin.Set("mailbox", "Inbox")
	err = w.app.Save(twin)
	if err == nil || !strings.Contains(err.Error(), "mailbox") {
		t.Fatalf("a second row for the same mailbox was saved (err %v)", err)
	}
	if n, _ := w.app.CountRecords(col); n != 1 {
		t.Errorf("%d mailbox rows, want 1", n)
	}
	stored, err := w.app.FindFirstRecordByFilter(inbox.InboxMailboxes, "id = {:id}", dbx.Params{"id": w.box.Id})
	must(t, err)
	if stored.GetString("mailbox") != "INBOX" {
		t.Errorf("mailbox stored as %q, want INBOX", stored.GetString("mailbox"))
	}
}
