package bank

import (
	"io"
	"os"
	"path/filepath"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"facturo/internal/cli"
)

// Commands are the package's command-line commands: bank import.
func Commands(app core.App) []*cobra.Command {
	bank := &cobra.Command{
		Use:   "bank",
		Short: "Reconcile bank statements with the invoices they pay",
	}
	var dryRun bool
	importCmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Import a Norma 43 or camt.053 statement and record the payments it proves; prints one JSON summary line",
		Long: "Import a bank statement (Norma 43 / AEB Cuaderno 43, or ISO 20022 camt.053): keep each new movement,\n" +
			"record the payments of invoices it names with the amount owed, and leave likely ones for staff to\n" +
			"confirm. Importing the same statement again changes nothing. Prints one JSON line with the summary\n" +
			"and every problem found (line, message); exits 1 when there is any, having written nothing.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := app.RunAllMigrations(); err != nil {
				return err
			}
			content, err := readStatement(args[0])
			if err != nil {
				return err
			}
			summary := Summary{Matched: []Match{}, Errors: []LineError{{Line: 1, Message: statementTooLarge}}, DryRun: dryRun}
			if len(content) <= MaxStatementBytes {
				if summary, err = Import(app, filepath.Base(args[0]), content, dryRun); err != nil {
					return err
				}
			}
			return cli.Summary(cmd, summary, len(summary.Errors), "the statement")
		},
		SilenceUsage:  true,
		SilenceErrors: true, // the summary says what is wrong; main prints the error once
	}
	// PocketBase's root command discards standard error; errors belong
	// there all the same.
	importCmd.SetErr(os.Stderr)
	importCmd.Flags().BoolVar(&dryRun, "dry-run", false, "reconcile and report, but write nothing")
	bank.AddCommand(importCmd)
	return []*cobra.Command{bank}
}

// readStatement reads the file at path, up to one byte more than a
// statement may have.
func readStatement(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, MaxStatementBytes+1))
}
