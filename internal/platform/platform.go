// Package platform builds every module's store on the store's engine, in
// one place, so that the program, the site and the tests serve the same
// set of modules; and it joins what the modules share: each module's part of
// an enterprise's timeline (dossier.TimelineSource) and of a person's
// to-do list (todo.Source).
package platform

import (
	"time"

	"qifu/internal/appeal/appealdb"
	"qifu/internal/audience/audiencedb"
	"qifu/internal/catalogue/cataloguedb"
	"qifu/internal/dossier"
	"qifu/internal/dossier/dossierdb"
	"qifu/internal/form/formdb"
	"qifu/internal/policy/policydb"
	"qifu/internal/pool/pooldb"
	"qifu/internal/resumption/resumptiondb"
	"qifu/internal/store"
	"qifu/internal/todo"
	"qifu/internal/visit/visitdb"
)

// Options configure the modules.
type Options struct {
	// FiguresTTL is how long the appeal module answers a leader's figures again.
	FiguresTTL time.Duration
}

// Modules are the modules' stores on one engine.
type Modules struct {
	Engine  *store.Store
	Appeals *appealdb.Store
	Dossier *dossierdb.Store
	// Forms are the form engine's forms and submissions; Campaigns the
	// forms sent to audiences, with their members and progress.
	Forms     *formdb.Store
	Campaigns *audiencedb.Store
	// Catalogue is the catalogue of service standards and the providers.
	Catalogue *cataloguedb.Store
	// Visits are the visits to enterprises, their problems and the common problems.
	Visits *visitdb.Store
	// Pool is the employee turnover pool: workers lent, needs, loans.
	Pool *pooldb.Store
	// Policy is precise push: policies, benefits, pushes, claims, resources.
	Policy *policydb.Store
	// Resumption is checklists, resumption and status reports.
	Resumption *resumptiondb.Store
	// Timeline are the modules' parts of an enterprise's timeline.
	Timeline []dossier.TimelineSource
	// Todo is every person's to-do list, joined from the modules' open work.
	Todo *todo.List
}

// Build builds the modules on engine, registering their callbacks there;
// call it before engine.Migrate.
func Build(engine *store.Store, opts Options) *Modules {
	m := &Modules{Engine: engine, Appeals: appealdb.New(engine, appealdb.Options{FiguresTTL: opts.FiguresTTL}),
		Dossier: dossierdb.New(engine), Forms: formdb.New(engine), Campaigns: audiencedb.New(engine)}
	m.Catalogue = cataloguedb.New(engine) // after the appeals: its standards name their categories
	m.Visits = visitdb.New(engine, m.Appeals)
	m.Pool = pooldb.New(engine)
	m.Policy = policydb.New(engine)
	m.Resumption = resumptiondb.New(engine, m.Appeals)
	m.Timeline = []dossier.TimelineSource{m.Appeals, m.Campaigns, m.Visits, m.Pool, m.Policy, m.Resumption}
	m.Todo = todo.NewList(m.Appeals, m.Campaigns, m.Visits, m.Pool, m.Policy, m.Resumption)
	return m
}
