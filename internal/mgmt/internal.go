package mgmt

import (
	"net/http"

	"github.com/gatehouse-dev/gatehouse/internal/mgmt/awserr"
)

// internal serves Gatehouse's own endpoints:
//
//	GET  /_gatehouse/health  200 {"status":"ok","version":"..."}
//	GET  /_gatehouse/metrics Prometheus metrics
//	POST /_gatehouse/reset   204; wipes every resource in every region
//	                         (403 in strict mode unless AllowReset)
func (s *Server) internal(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/_gatehouse/health":
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			s.writeError(w, methodNotAllowed(r), "")
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": s.cfg.Version})
	case "/_gatehouse/metrics":
		if s.cfg.Metrics == nil {
			s.writeError(w, unknownOperation(r), "")
			return
		}
		s.cfg.Metrics.ServeHTTP(w, r)
	case "/_gatehouse/reset":
		if r.Method != http.MethodPost {
			s.writeError(w, methodNotAllowed(r), "")
			return
		}
		if s.cfg.Auth == AuthStrict && !s.cfg.AllowReset {
			s.writeError(w, awserr.New(http.StatusForbidden, "AccessDeniedException", "reset is disabled in strict mode; start Gatehouse with --allow-reset"), "")
			return
		}
		if s.cfg.BeforeReset != nil {
			s.cfg.BeforeReset()
		}
		err := s.cfg.Store.Reset(r.Context())
		if s.cfg.OnReset != nil {
			s.cfg.OnReset() // also after a failed reset: it may have wiped part of the store
		}
		if err != nil {
			s.writeError(w, err, "")
			return
		}
		s.log.Info("state reset")
		w.WriteHeader(http.StatusNoContent)
	default:
		s.writeError(w, unknownOperation(r), "")
	}
}

func methodNotAllowed(r *http.Request) error {
	return awserr.New(http.StatusMethodNotAllowed, "MethodNotAllowedException",
		"The requested method %s is not allowed for the resource %s", r.Method, r.URL.Path)
}
