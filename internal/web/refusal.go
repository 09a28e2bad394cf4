package web

import (
	"github.com/pocketbase/pocketbase/tools/router"

	"facturo/ui"
)

// refusal is an API error that keeps its problem's catalogue key: the REST
// API answers with the API error as it always has (its English message and
// field data), while the workspace and the portal, which call the same
// functions, write the problem in their reader's language (ui.Message).
type refusal struct {
	api     *router.ApiError
	problem *ui.Error
}

func (r *refusal) Error() string          { return r.api.Error() }
func (r *refusal) Unwrap() error          { return r.api }
func (r *refusal) Code() string           { return r.problem.Key }
func (r *refusal) Params() map[string]any { return r.problem.Args }

// Refuse is api, written in the reader's language from key and args.
func Refuse(api *router.ApiError, key string, args ui.Args) error {
	return &refusal{api: api, problem: ui.Errorf(key, args)}
}
