package remind

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"facturo/hooks/invoicing"
	"facturo/internal/clock"
)

// cronJob is the scheduler's job id; it wakes every hour and runs once a
// day, at the first wake at or after the policy's hour, so that a changed
// hour, a summer-time change or a server that was down at that hour still
// gets its day's run.
const cronJob = "reminders"

// Register binds the daily run, the routes, and the checks of the policy's
// texts and of customers' own days.
func Register(app core.App) {
	app.Cron().MustAdd(cronJob, "0 * * * *", func() {
		if _, ran, err := RunScheduled(app); err != nil {
			app.Logger().Error("reminders: the daily run failed", "error", err)
		} else if ran {
			app.Logger().Info("reminders: the daily run is done")
		}
	})
	app.OnRecordValidate(Levels).BindFunc(validateLevel)
	app.OnRecordValidate(invoicing.Customers).BindFunc(validateCustomerDays)
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.POST("/api/reminders/run", handleRun).Bind(apis.RequireSuperuserAuth())
		se.Router.GET("/api/reminders/plan", handlePlan).Bind(apis.RequireSuperuserAuth())
		return se.Next()
	})
}

// RunScheduled runs today's reminders when the policy is on, its hour
// (Madrid) has come, and today's run has not happened yet; it reports
// whether it ran. The day is recorded with the outcome in the settings.
func RunScheduled(app core.App) (Result, bool, error) {
	settings, err := LoadSettings(app)
	if err != nil || !settings.Enabled {
		return Result{}, false, err
	}
	today, due := settings.dueToday(settings.LastRunOn)
	if !due {
		return Result{}, false, nil
	}
	res, err := Run(app, today)
	status := fmt.Sprintf("%s: %d invoices reminded in %d emails, %d levels skipped", res.Day, res.Reminded, res.Messages, res.Skipped)
	if err != nil {
		status = fmt.Sprintf("%s: the run failed, it is tried again in an hour: %v", res.Day, err)
	} else {
		settings.record.Set("last_run_on", res.Day)
	}
	settings.record.Set("status", status)
	if saveErr := app.Save(settings.record); saveErr != nil && err == nil {
		err = saveErr
	}
	return res, err == nil, err
}

// DailyRunDue tells a job that runs once a day with the reminders, woken
// every hour by the scheduler, whether to run now: the first wake at or
// after the policy's hour (Madrid) on a day it has not run (lastRunOn,
// YYYY-MM-DD), so that a changed hour, a summer-time change or a server
// that was down at that hour still gets the day's run. It gives today.
func DailyRunDue(app core.App, lastRunOn string) (time.Time, bool, error) {
	settings, err := LoadSettings(app)
	if err != nil {
		return time.Time{}, false, err
	}
	today, due := settings.dueToday(lastRunOn)
	return today, due, nil
}

// dueToday is today, and whether a daily run last made on lastRunOn is
// due at this hour.
func (s Settings) dueToday(lastRunOn string) (time.Time, bool) {
	today := clock.Today()
	if lastRunOn >= dayString(today) {
		return today, false
	}
	return today, clock.Now().In(clock.Zone).Hour() >= s.RunHour
}

// dayParam reads the optional day a route or command runs for; today when
// empty.
func dayParam(s string) (time.Time, error) {
	if s == "" {
		return clock.Today(), nil
	}
	return ParseDay(s)
}

// handleRun is staff's POST /api/reminders/run [{"at": "YYYY-MM-DD"}]: a
// run now, whatever the hour and whether today's run happened.
func handleRun(e *core.RequestEvent) error {
	var body struct {
		At string `json:"at"`
	}
	if e.Request.ContentLength != 0 {
		if err := invoicing.DecodeBody(e, &body); err != nil {
			return err
		}
	}
	at, err := dayParam(body.At)
	if err != nil {
		return apis.NewBadRequestError("at: "+err.Error(), validation.Errors{"at": validation.NewError("validation_day", err.Error())})
	}
	res, err := Run(e.App, at)
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, res)
}

// handlePlan is staff's GET /api/reminders/plan[?at=YYYY-MM-DD]: what a
// run would send.
func handlePlan(e *core.RequestEvent) error {
	at, err := dayParam(e.Request.URL.Query().Get("at"))
	if err != nil {
		return apis.NewBadRequestError("at: "+err.Error(), validation.Errors{"at": validation.NewError("validation_day", err.Error())})
	}
	planned, err := Plan(e.App, at)
	if err != nil {
		return err
	}
	if planned == nil {
		planned = []Planned{}
	}
	return e.JSON(http.StatusOK, planned)
}

// Commands are the package's command-line commands: remind plan and remind
// run.
func Commands(app core.App) []*cobra.Command {
	root := &cobra.Command{Use: "remind", Short: "Payment reminders: what a run would send, or a run now"}
	var planAt, runAt string
	plan := &cobra.Command{
		Use:   "plan",
		Short: "Print, one JSON line each, the reminders a run on a day would send; writes nothing",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := app.RunAllMigrations(); err != nil {
				return err
			}
			return printPlan(app, planAt, cmd.OutOrStdout())
		},
		SilenceUsage: true,
	}
	plan.Flags().StringVar(&planAt, "at", "", "day to plan for, YYYY-MM-DD (default: today in Madrid)")
	run := &cobra.Command{
		Use:   "run",
		Short: "Send the reminders due on a day now, through the outbox; prints a JSON summary",
		Long: "Send the reminders due on a day now, through the outbox (the server sends them), whatever the hour and\n" +
			"whether the day's run happened; levels already sent are never sent again. --at runs for another day:\n" +
			"to catch up on a missed day, or in tests.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := app.RunAllMigrations(); err != nil {
				return err
			}
			at, err := dayParam(runAt)
			if err != nil {
				return fmt.Errorf("--at: %w", err)
			}
			res, err := Run(app, at)
			if err != nil {
				return err
			}
			return json.NewEncoder(cmd.OutOrStdout()).Encode(res)
		},
		SilenceUsage: true,
	}
	run.Flags().StringVar(&runAt, "at", "", "day to run for, YYYY-MM-DD (default: today in Madrid)")
	root.AddCommand(plan, run)
	return []*cobra.Command{root}
}

// printPlan writes the plan of a day as JSON lines.
func printPlan(app core.App, day string, out io.Writer) error {
	at, err := dayParam(day)
	if err != nil {
		return fmt.Errorf("--at: %w", err)
	}
	planned, err := Plan(app, at)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(out)
	for _, p := range planned {
		if err := enc.Encode(p); err != nil {
			return err
		}
	}
	return nil
}
