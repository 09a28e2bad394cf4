package imports

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"facturo/hooks/invoicing"
	"facturo/internal/cli"
)

// Commands are the package's command-line commands.
func Commands(app core.App) []*cobra.Command {
	var opts Options
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Import customers and invoices from an ERP's CSV or XLSX file (one row per invoice line); prints one JSON summary line",
		Long: "Import customers and invoices from an ERP's CSV or XLSX file, one row per invoice line, as drafts:\n" +
			"all of the file or nothing. Re-importing a file changes nothing. Prints one JSON line with the\n" +
			"summary and every problem found (row, column, message); exits 1 when there is any.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Send && !opts.Issue {
				return ErrSendWithoutIssue
			}
			if err := app.RunAllMigrations(); err != nil {
				return err
			}
			opts.Actor = invoicing.Actor{Email: "import"}
			summary, err := importFile(app, args[0], opts, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			return cli.Summary(cmd, summary, len(summary.Errors), "the file")
		},
		SilenceUsage:  true,
		SilenceErrors: true, // the summary says what is wrong; main prints the error once
	}
	// PocketBase's root command discards standard error (it reports errors
	// itself); the progress bar belongs there all the same.
	cmd.SetErr(os.Stderr)
	cmd.Flags().BoolVar(&opts.DryRun, "dry-run", false, "check the whole file and report, but write nothing")
	cmd.Flags().BoolVar(&opts.Issue, "issue", false, "issue the imported drafts, in file order, once the import has committed")
	cmd.Flags().BoolVar(&opts.Send, "send", false, "queue each issued invoice's email (with --issue)")
	cmd.Flags().StringVar(&opts.Lang, "lang", "en", "the language of the problems' messages: en or es")
	return []*cobra.Command{cmd}
}

// importFile imports the file at path, drawing the progress on term.
func importFile(app core.App, path string, opts Options, term io.Writer) (*Summary, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	bar := newBar(term)
	defer bar.finish()
	return Import(app, f, info.Size(), path, opts, bar.update)
}

// bar draws an import's progress: redrawn in place on a terminal, and
// otherwise (a log, a pipe) one line at each tenth of each phase.
type bar struct {
	w        io.Writer
	terminal bool
	phase    string
	step     int64 // the last percentage (terminal) or tenth (otherwise) drawn
}

func newBar(w io.Writer) *bar {
	f, ok := w.(*os.File)
	return &bar{w: w, terminal: ok && isTerminal(f), step: -1}
}

func (b *bar) update(phase string, done, total int64) {
	if total <= 0 {
		return
	}
	percent := min(100, done*100/total)
	if phase != b.phase {
		if b.terminal && b.phase != "" {
			fmt.Fprintln(b.w)
		}
		b.phase, b.step = phase, -1
	}
	if !b.terminal {
		if tenth := percent / 10; tenth != b.step {
			b.step = tenth
			fmt.Fprintf(b.w, "%s %d%%\n", phase, tenth*10)
		}
		return
	}
	if percent == b.step {
		return
	}
	b.step = percent
	const width = 30
	filled := int(width * percent / 100)
	fmt.Fprintf(b.w, "\r%-10s [%s%s] %3d%%", phase, strings.Repeat("#", filled), strings.Repeat(".", width-filled), percent)
}

// finish ends the bar's line, so that what follows starts on its own.
func (b *bar) finish() {
	if b.terminal && b.phase != "" {
		fmt.Fprintln(b.w)
	}
}

func isTerminal(f *os.File) bool {
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
