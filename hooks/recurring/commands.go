package recurring

import (
	"encoding/json"
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"facturo/hooks/remind"
	"facturo/internal/clock"
)

// Commands are the package's command-line commands: recurring run.
func Commands(app core.App) []*cobra.Command {
	root := &cobra.Command{Use: "recurring", Short: "Recurring invoices: make the periods due now"}
	var at string
	var dryRun bool
	run := &cobra.Command{
		Use:   "run",
		Short: "Make every recurring invoice due on a day; prints one JSON line per invoice made (or, with --dry-run, that would be made)",
		Long: "Make the invoices of every recurring invoice whose period has come by a day (today in Madrid, or --at),\n" +
			"whatever the hour and whether the day's run happened: each period once, in the order of their days,\n" +
			"each dated on its period's day unless its series already has a later invoice that year (then on the\n" +
			"run's day, with a note). Periods already made are never made again. --dry-run prints what a run would\n" +
			"make and writes nothing.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := app.RunAllMigrations(); err != nil {
				return err
			}
			day := clock.Today()
			if at != "" {
				d, err := remind.ParseDay(at)
				if err != nil {
					return fmt.Errorf("--at: %w", err)
				}
				day = d
			}
			made, err := Run(app, day, dryRun)
			enc := json.NewEncoder(cmd.OutOrStdout())
			for _, m := range made {
				if err := enc.Encode(m); err != nil {
					return err
				}
			}
			return err
		},
		SilenceUsage: true,
	}
	run.Flags().StringVar(&at, "at", "", "day to run for, YYYY-MM-DD (default: today in Madrid)")
	run.Flags().BoolVar(&dryRun, "dry-run", false, "print what a run would make, and write nothing")
	root.AddCommand(run)
	return []*cobra.Command{root}
}
