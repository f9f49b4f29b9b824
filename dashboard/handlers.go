package dashboard

import (
	"context"
	"embed"
	"errors"
	"html/template"
	"log"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

//go:embed templates/*.html static/*
var assets embed.FS

// FormatNumber spells a metric or statistic with four significant digits.
func FormatNumber(v float64) string {
	if math.IsNaN(v) {
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

var funcs = template.FuncMap{
	"num": func(v any) string {
		switch v := v.(type) {
		case float64:
			return FormatNumber(v)
		case *float64:
			if v != nil {
				return FormatNumber(*v)
			}
		case float32:
			return FormatNumber(float64(v))
		case *int:
			if v != nil {
				return strconv.Itoa(*v)
			}
		}
		return "–"
	},
	"metric": func(m Metrics, name string) string {
		if v, ok := m[name]; ok {
			return FormatNumber(v)
		}
		return "–"
	},
	"time": func(t any) string {
		switch t := t.(type) {
		case time.Time:
			return t.Format(time.DateTime)
		case *time.Time:
			if t != nil {
				return t.Format(time.DateTime)
			}
		}
		return "–"
	},
	"pathEscape": url.PathEscape,
}

// page parses the layout with one page's template.
func page(name string) *template.Template {
	return template.Must(template.New(name).Funcs(funcs).ParseFS(assets, "templates/layout.html", "templates/"+name+".html"))
}

// Server serves the dashboard's pages.
type Server struct {
	store *Store
	pages map[string]*template.Template
	mux   *http.ServeMux
}

// NewServer routes the pages to the store's data.
func NewServer(store *Store) *Server {
	s := &Server{store: store, pages: map[string]*template.Template{}, mux: http.NewServeMux()}
	for _, name := range []string{"projects", "project", "model", "snapshot", "trainings", "error"} {
		s.pages[name] = page(name)
	}
	s.mux.Handle("GET /static/", http.FileServerFS(assets))
	s.mux.HandleFunc("GET /{$}", s.projects)
	s.mux.HandleFunc("GET /projects/{name}", s.project)
	s.mux.HandleFunc("GET /models/{id}", s.model)
	s.mux.HandleFunc("GET /snapshots/{id}", s.snapshot)
	s.mux.HandleFunc("GET /trainings", s.trainings)
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'self'; img-src 'self' data:; script-src 'none'")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	s.mux.ServeHTTP(w, r)
}

// render writes a page, or the error page when loading its data failed.
func (s *Server) render(w http.ResponseWriter, name, title string, data any, err error) {
	status := http.StatusOK
	if err != nil {
		name, data = "error", err.Error()
		switch {
		case errors.Is(err, ErrNotFound):
			status, title = http.StatusNotFound, "Not found"
		case errors.Is(err, errBadRequest):
			status, title = http.StatusBadRequest, "Bad request"
		case errors.Is(err, context.DeadlineExceeded):
			status, title = http.StatusGatewayTimeout, "Timed out"
		default:
			log.Printf("pgml-dashboard: %s: %v", title, err)
			status, title = http.StatusInternalServerError, "Database error"
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	refresh := 0
	if p, ok := data.(*TrainingsPage); ok {
		refresh = p.Refresh
	}
	if err := s.pages[name].ExecuteTemplate(w, "layout", map[string]any{"Title": title, "Page": name, "Data": data, "Refresh": refresh}); err != nil {
		log.Printf("pgml-dashboard: rendering %s: %v", name, err)
	}
}

var errBadRequest = errors.New("bad request")

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errors.Join(errBadRequest, errors.New("the id must be a positive integer"))
	}
	return id, nil
}

func (s *Server) projects(w http.ResponseWriter, r *http.Request) {
	ps, err := s.store.Projects(r.Context())
	s.render(w, "projects", "Projects", ps, err)
}

// projectView is a project's page with its sort order and deploy timeline.
type projectView struct {
	*ProjectPage
	Sort       string
	Descending bool
	Timeline   template.HTML
}

// SortLink is the query string that sorts by key, reversing the order when key is the current one.
func (v projectView) SortLink(key string) string {
	desc := key != "algorithm" && key != "id"
	if key == v.Sort {
		desc = !v.Descending
	}
	q := url.Values{"sort": {key}}
	if desc {
		q.Set("dir", "desc")
	} else {
		q.Set("dir", "asc")
	}
	return "?" + q.Encode()
}

// Arrow marks the column the table is sorted by.
func (v projectView) Arrow(key string) string {
	if key != v.Sort {
		return ""
	}
	if v.Descending {
		return "▼"
	}
	return "▲"
}

func (s *Server) project(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	p, err := s.store.Project(r.Context(), name)
	if err != nil {
		s.render(w, "project", name, nil, err)
		return
	}
	v := projectView{ProjectPage: p, Sort: r.URL.Query().Get("sort"), Descending: r.URL.Query().Get("dir") != "asc"}
	sortable := map[string]bool{"id": true, "algorithm": true}
	for _, m := range p.MetricNames {
		sortable[m] = true
	}
	if !sortable[v.Sort] { // by default the best model by the task's key metric comes first
		v.Sort, v.Descending = p.KeyMetric, true
		if !sortable[v.Sort] {
			v.Sort = "id"
		}
	}
	SortModels(p.Models, v.Sort, v.Descending)
	var events []TimelineEvent
	for _, d := range p.Deployments {
		events = append(events, TimelineEvent{At: d.At, Label: "model " + strconv.FormatInt(d.ModelID, 10)})
	}
	if len(events) > 0 {
		v.Timeline = Timeline("deployments", "Deploy history of "+name, events, p.Now)
	}
	s.render(w, "project", name, v, nil)
}

// modelView is a model's page with its charts.
type modelView struct {
	*ModelPage
	Charts        []Chart
	AnalysisError string
}

func (s *Server) model(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	var m *ModelPage
	if err == nil {
		m, err = s.store.Model(r.Context(), id)
	}
	if err != nil {
		s.render(w, "model", "Model", nil, err)
		return
	}
	v := modelView{ModelPage: m}
	if len(m.Analysis) > 0 {
		if v.Charts, err = AnalysisCharts(m.Analysis); err != nil {
			v.AnalysisError = err.Error()
		}
	}
	s.render(w, "model", "Model "+strconv.FormatInt(id, 10), v, nil)
}

func (s *Server) snapshot(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	var p *SnapshotPage
	if err == nil {
		p, err = s.store.Snapshot(r.Context(), id)
	}
	s.render(w, "snapshot", "Snapshot "+r.PathValue("id"), p, err)
}

// defaultRefresh is how often the running trainings page reloads itself, in seconds.
const defaultRefresh = 2

func (s *Server) trainings(w http.ResponseWriter, r *http.Request) {
	p, err := s.store.Trainings(r.Context())
	if p != nil {
		// ?refresh=0 pauses the reloading, ?refresh=n reloads every n seconds.
		p.Refresh = defaultRefresh
		if n, err := strconv.Atoi(r.URL.Query().Get("refresh")); err == nil && n >= 0 {
			p.Refresh = min(n, 3600)
		}
	}
	s.render(w, "trainings", "Running trainings", p, err)
}
