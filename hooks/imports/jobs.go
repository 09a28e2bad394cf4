package imports

import (
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/security"
)

// jobsKept is how long a finished import's status stays for its page to
// read.
const jobsKept = time.Hour

const storeJobs = "facturo.imports.jobs"

// Job statuses.
const (
	JobRunning = "running"
	JobDone    = "done"
	JobFailed  = "failed"
)

// job is an import running in the background, or finished within the hour.
type job struct {
	ID string

	mu          sync.Mutex
	state       string
	phase       string
	done, total int64
	summary     *Summary
	message     string // why it failed
	finished    time.Time
}

// JobStatus is what GET /api/imports/{id} answers; a page polls it to show
// the progress.
type JobStatus struct {
	ID      string   `json:"id"`
	Status  string   `json:"status"` // running, done or failed
	Phase   string   `json:"phase"`
	Done    int64    `json:"done"`
	Total   int64    `json:"total"`
	Summary *Summary `json:"summary"` // once done
	Message string   `json:"message,omitempty"`
}

func (j *job) status() JobStatus {
	j.mu.Lock()
	defer j.mu.Unlock()
	return JobStatus{ID: j.ID, Status: j.state, Phase: j.phase, Done: j.done, Total: j.total, Summary: j.summary, Message: j.message}
}

func (j *job) update(phase string, done, total int64) {
	j.mu.Lock()
	j.phase, j.done, j.total = phase, done, total
	j.mu.Unlock()
}

// jobs are an app's imports, kept in memory: a restart forgets them, which
// only the page that polls them notices.
type jobs struct {
	mu   sync.Mutex
	byID map[string]*job
}

func jobsOf(app core.App) *jobs {
	return app.Store().GetOrSet(storeJobs, func() any { return &jobs{byID: map[string]*job{}} }).(*jobs)
}

func (js *jobs) get(id string) (*job, bool) {
	js.mu.Lock()
	defer js.mu.Unlock()
	js.forgetOld()
	j, ok := js.byID[id]
	return j, ok
}

// forgetOld drops the jobs finished more than jobsKept ago.
func (js *jobs) forgetOld() {
	for id, j := range js.byID {
		j.mu.Lock()
		old := !j.finished.IsZero() && time.Since(j.finished) > jobsKept
		j.mu.Unlock()
		if old {
			delete(js.byID, id)
		}
	}
}

// startJob imports the file in the background and returns its job.
func startJob(app core.App, src *source, opts Options) *job {
	j := &job{ID: security.RandomString(15), state: JobRunning, phase: PhaseParsing}
	js := jobsOf(app)
	js.mu.Lock()
	js.forgetOld()
	js.byID[j.ID] = j
	js.mu.Unlock()
	go func() {
		summary, err := importSource(app, src, opts, j.update)
		j.mu.Lock()
		defer j.mu.Unlock()
		j.finished = time.Now()
		if err != nil {
			app.Logger().Error("An import failed", "job", j.ID, "error", err)
			j.state, j.message = JobFailed, err.Error()
			return
		}
		j.state, j.summary = JobDone, summary
	}()
	return j
}
