package verifactu

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"facturo/internal/aeat"
	"facturo/internal/cli"
	"facturo/internal/clock"
)

// Commands are the verifactu command and its subcommands: status and
// export.
func Commands(app core.App) []*cobra.Command {
	root := &cobra.Command{Use: "verifactu", Short: "VERI*FACTU: where sending to the AEAT stands, and the records as XML"}
	status := &cobra.Command{
		Use:   "status",
		Short: `Print one JSON line: {"pending", "accepted", "accepted_with_errors", "rejected", "next_send_at", "last_error"}`,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := prepare(app); err != nil {
				return err
			}
			s, err := LoadStatus(app)
			if err != nil {
				return err
			}
			return cli.Summary(cmd, SummaryOf(s), 0, "")
		},
		SilenceUsage: true,
	}
	var from, to, out string
	export := &cobra.Command{
		Use:   "export",
		Short: "Write the registration records as the XML requests the AEAT receives (RegFactuSistemaFacturacion), 1,000 records a file",
		Long: "Write the registration records made from --from to --to (the days they were made, in Madrid; all by default) as\n" +
			"the SOAP requests RegFactuSistemaFacturacion that carry them to the AEAT, each record as it was made: one file of at\n" +
			"most 1,000 records per issuer and Incidencia, named <NIF>-<first record>-<last record>.xml, in --out. Records made\n" +
			"while sending was off are included. Prints a JSON summary: {\"records\", \"files\"}.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := prepare(app); err != nil {
				return err
			}
			var f, t time.Time
			var err error
			if from != "" {
				if f, err = time.ParseInLocation(time.DateOnly, from, clock.Zone); err != nil {
					return fmt.Errorf("--from: write a day such as 2027-01-31")
				}
			}
			if to != "" {
				if t, err = time.ParseInLocation(time.DateOnly, to, clock.Zone); err != nil {
					return fmt.Errorf("--to: write a day such as 2027-01-31")
				}
				t = t.AddDate(0, 0, 1)
			}
			files, n, err := Export(app, f, t, out)
			if err != nil {
				return err
			}
			return cli.Summary(cmd, map[string]any{"records": n, "files": files}, 0, "")
		},
		SilenceUsage: true,
	}
	export.Flags().StringVar(&from, "from", "", "first day, YYYY-MM-DD")
	export.Flags().StringVar(&to, "to", "", "last day, YYYY-MM-DD")
	export.Flags().StringVar(&out, "out", ".", "folder to write the files in")
	declaration := &cobra.Command{
		Use:   "declaration",
		Short: "Print the declaración responsable of this build (art. 15 of Orden HAC/1177/2024)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := app.RunAllMigrations(); err != nil {
				return err
			}
			_, err := fmt.Fprint(cmd.OutOrStdout(), DeclarationOf(app).Text())
			return err
		},
		SilenceUsage: true,
	}
	root.AddCommand(status, export, declaration)
	return []*cobra.Command{root}
}

// prepare brings the database up to date, as serve does.
func prepare(app core.App) error {
	if err := app.RunAllMigrations(); err != nil {
		return err
	}
	return RecordLegacyInvoices(app)
}

// Export writes the records made in [from, to) (zero: unbounded) as
// requests of at most 1,000 records, one issuer and one Incidencia each, in
// dir; it returns the files' paths and the records written.
func Export(app core.App, from, to time.Time, dir string) ([]string, int, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, 0, err
	}
	where := dbx.NewExp("1 = 1")
	if !from.IsZero() {
		where = dbx.And(where, dbx.NewExp("r.generated_at >= {:from}", dbx.Params{"from": dateTime(from.UTC()).String()}))
	}
	if !to.IsZero() {
		where = dbx.And(where, dbx.NewExp("r.generated_at < {:to}", dbx.Params{"to": dateTime(to.UTC()).String()}))
	}
	q := app.DB().Select("r.id", "r.invoice", "r.issuer_tax_id", "r.seq", "r.xml", "r.incidencia").From("verifactu_records r").
		Where(where).OrderBy("r.issuer_tax_id", "r.seq")
	rows, err := q.Rows()
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var files []string
	var batch []queued
	var firstSeq, lastSeq int
	n := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		name, err := issuerName(app, batch[0].Invoice)
		if err != nil {
			return err
		}
		records := make([][]byte, len(batch))
		for i, r := range batch {
			records[i] = []byte(r.XML)
		}
		req, err := aeat.Request(aeat.Header{IssuerName: name, IssuerTaxID: batch[0].Issuer, Incidencia: batch[0].Incidencia}, records)
		if err != nil {
			return err
		}
		path := filepath.Join(dir, fmt.Sprintf("%s-%06d-%06d.xml", batch[0].Issuer, firstSeq, lastSeq))
		if err := os.WriteFile(path, req, 0o644); err != nil {
			return err
		}
		files = append(files, path)
		batch = batch[:0]
		return nil
	}
	for rows.Next() {
		var r struct {
			queued
			Seq int `db:"seq"`
		}
		if err := rows.ScanStruct(&r); err != nil {
			return nil, 0, err
		}
		if len(batch) > 0 && (len(batch) == aeat.MaxRecords || r.Issuer != batch[0].Issuer || r.Incidencia != batch[0].Incidencia) {
			if err := flush(); err != nil {
				return nil, 0, err
			}
		}
		if len(batch) == 0 {
			firstSeq = r.Seq
		}
		lastSeq = r.Seq
		batch = append(batch, r.queued)
		n++
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	return files, n, flush()
}
