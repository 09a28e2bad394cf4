package mail

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"facturo/hooks/invoicing"
)

// Commands are the package's command-line commands.
func Commands(app core.App) []*cobra.Command {
	var wait time.Duration
	cmd := &cobra.Command{
		Use:   "send-unsent",
		Short: "Email every issued invoice that was never sent, and wait while the outbox sends them",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := app.RunAllMigrations(); err != nil {
				return err
			}
			return sendUnsent(app, cmd.ErrOrStderr(), cmd.OutOrStdout(), wait)
		},
		SilenceUsage: true,
	}
	cmd.Flags().DurationVar(&wait, "wait", 10*time.Minute, "how long to wait for the outbox to send them before leaving the rest to the server")
	return []*cobra.Command{cmd}
}

// sendSummary is the one JSON line the command ends with.
type sendSummary struct {
	Queued  int    `json:"queued"`
	Sent    int    `json:"sent"`
	Failed  int    `json:"failed"`
	Waiting int    `json:"waiting"`
	Note    string `json:"note,omitempty"`
}

// sendUnsent queues the unsent invoices, sends them with a worker of its own
// while drawing a progress bar on the terminal, and prints a summary.
func sendUnsent(app core.App, term, out io.Writer, wait time.Duration) error {
	queued, err := QueueUnsent(app, invoicing.Actor{Email: "send-unsent"}, func(done, total int) {
		drawBar(term, "queueing", done, total)
	})
	if err != nil {
		return err
	}
	summary := sendSummary{Queued: len(queued)}
	if len(queued) > 0 {
		worker, err := StartWorker(app)
		if err != nil {
			return err
		}
		deadline := time.Now().Add(wait)
		for {
			summary.Sent, summary.Failed, summary.Waiting = countOutcomes(app, queued)
			drawBar(term, "sending", summary.Sent+summary.Failed, len(queued))
			if summary.Waiting == 0 || time.Now().After(deadline) {
				break
			}
			if s, _ := LoadSettings(app); strings.HasPrefix(s.record.GetString("status"), "Waiting") {
				summary.Note = s.record.GetString("status")
				break
			}
			time.Sleep(200 * time.Millisecond)
		}
		worker.Stop()
	}
	if summary.Waiting > 0 && summary.Note == "" {
		summary.Note = "the rest are in the outbox; the server sends them (or retries them) when it runs"
	}
	fmt.Fprintln(term)
	return json.NewEncoder(out).Encode(summary)
}

// countOutcomes counts the messages that are sent, failed, or still waiting.
func countOutcomes(app core.App, messages []*core.Record) (sent, failed, waiting int) {
	for _, m := range messages {
		fresh, err := app.FindRecordById(Messages, m.Id)
		if err != nil {
			waiting++
			continue
		}
		switch fresh.GetString("status") {
		case StatusSent:
			sent++
		case StatusFailed, StatusBounced:
			failed++
		default:
			waiting++
		}
	}
	return sent, failed, waiting
}

// drawBar redraws a one-line progress bar when term is a terminal.
func drawBar(term io.Writer, label string, done, total int) {
	if f, ok := term.(*os.File); !ok || !isTerminal(f) || total == 0 {
		return
	}
	const width = 30
	filled := width * done / total
	fmt.Fprintf(term, "\r%-9s [%s%s] %d/%d", label, strings.Repeat("#", filled), strings.Repeat(".", width-filled), done, total)
}

func isTerminal(f *os.File) bool {
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
