package apigwv2

import (
	"strings"
	"sync"

	"github.com/gatehouse-dev/gatehouse/internal/store"
)

// factCache remembers two facts per API that every child write would
// otherwise re-read from the store: that the API exists, with its protocol type
// (immutable), and that none of its stages auto-deploys. CreateIntegration on
// a large API spends a fifth of its time re-reading exactly these.
//
// The rules that keep it sound:
//   - facts are consulted and learned only inside write transactions, never in
//     read-only views (a view may see a snapshot older than a concurrent delete);
//   - every write through a write transaction's store.Tx forgets what it may
//     change, at once (forgetting is always safe), and bumps the generation;
//     the wrapper below is the single place that keeps the cache honest;
//   - what a transaction function learned is published only after its
//     transaction committed, and only if the generation has not moved since
//     the function started: no write anywhere invalidated anything in between.
//     A failed function or commit publishes nothing, and a fact is never
//     visible before the data it describes is durable;
//   - a reset of the whole store disables the cache while it runs
//     (BeginReset/EndReset).
//
// A multi-node store would need cross-node invalidation; it must not enable
// this cache (Config.NoFactCache).
type factCache struct {
	mu           sync.Mutex
	gen          uint64              // bumped by every invalidation
	resets       int                 // resets in progress: the cache is off
	protocol     map[string]string   // apiScope → protocolType: the API exists
	noAutoDeploy map[string]struct{} // apiScope → no stage of the API auto-deploys
}

func (fc *factCache) lookupProtocol(api string) (string, bool) {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	if fc.resets > 0 {
		return "", false
	}
	p, ok := fc.protocol[api]
	return p, ok
}

func (fc *factCache) knownNoAutoDeploy(api string) bool {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	if fc.resets > 0 {
		return false
	}
	_, ok := fc.noAutoDeploy[api]
	return ok
}

func (fc *factCache) generation() uint64 {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	return fc.gen
}

// clearLocked forgets everything.
func (fc *factCache) clearLocked() {
	fc.gen++
	fc.protocol, fc.noAutoDeploy = nil, nil
}

// forgetLocked drops the facts of the APIs match selects.
func (fc *factCache) forgetLocked(match func(api string) bool, apis, stages bool) {
	fc.gen++
	if apis {
		for api := range fc.protocol {
			if match(api) {
				delete(fc.protocol, api)
			}
		}
	}
	for api := range fc.noAutoDeploy {
		if match(api) && (apis || stages) {
			delete(fc.noAutoDeploy, api)
		}
	}
}

// factTx is the store.Tx that write transactions see: writes forget facts,
// reads through loadAPIMeta and autoDeploy learn them.
type factTx struct {
	store.Tx
	fc  *factCache
	gen uint64 // the cache's generation when the transaction function started
	// learned in this transaction function; published after the commit
	protocol     map[string]string
	noAutoDeploy map[string]struct{}
}

// forget drops what the cache, and this transaction, know about an API's
// existence (kind "api" written) or its stages (kind "stage" written).
func (t *factTx) forget(kind store.Kind, scope, id string) {
	var api string
	switch kind {
	case kindAPI:
		api = store.Join(scope, "apis", id)
	case kindStage:
		api = scope
	default:
		return
	}
	t.fc.mu.Lock()
	t.fc.forgetLocked(func(a string) bool { return a == api }, kind == kindAPI, true)
	t.fc.mu.Unlock()
	if kind == kindAPI {
		delete(t.protocol, api)
	}
	delete(t.noAutoDeploy, api)
}

func (t *factTx) Insert(rec store.Record) (store.Record, error) {
	t.forget(rec.Kind, rec.Scope, rec.ID)
	return t.Tx.Insert(rec)
}

func (t *factTx) Replace(rec store.Record) error {
	t.forget(rec.Kind, rec.Scope, rec.ID)
	return t.Tx.Replace(rec)
}

func (t *factTx) Delete(kind store.Kind, scope, id string) error {
	t.forget(kind, scope, id)
	return t.Tx.Delete(kind, scope, id)
}

// DeleteTree forgets the facts of every API at or under scope (DeleteApi;
// a route's or integration's subtree holds no API or stage records, but the
// generation moves all the same).
func (t *factTx) DeleteTree(scope string) error {
	under := func(api string) bool { return api == scope || strings.HasPrefix(api, scope+"/") }
	t.fc.mu.Lock()
	t.fc.forgetLocked(under, true, true)
	t.fc.mu.Unlock()
	for api := range t.protocol {
		if under(api) {
			delete(t.protocol, api)
		}
	}
	for api := range t.noAutoDeploy {
		if under(api) {
			delete(t.noAutoDeploy, api)
		}
	}
	return t.Tx.DeleteTree(scope)
}

func (t *factTx) learnProtocol(api, protocol string) {
	if t.protocol == nil {
		t.protocol = map[string]string{}
	}
	t.protocol[api] = protocol
}

func (t *factTx) learnNoAutoDeploy(api string) {
	if t.noAutoDeploy == nil {
		t.noAutoDeploy = map[string]struct{}{}
	}
	t.noAutoDeploy[api] = struct{}{}
}

// publish makes what a committed transaction function learned visible, if
// nothing was invalidated since it started.
func (t *factTx) publish() {
	if len(t.protocol) == 0 && len(t.noAutoDeploy) == 0 {
		return
	}
	t.fc.mu.Lock()
	defer t.fc.mu.Unlock()
	if t.fc.gen != t.gen || t.fc.resets > 0 {
		return
	}
	if t.fc.protocol == nil {
		t.fc.protocol = map[string]string{}
		t.fc.noAutoDeploy = map[string]struct{}{}
	}
	for k, v := range t.protocol {
		t.fc.protocol[k] = v
	}
	for k := range t.noAutoDeploy {
		t.fc.noAutoDeploy[k] = struct{}{}
	}
}

// update runs fn in a write transaction (see factCache for the facts it keeps).
func (c *call) update(fn func(tx store.Tx) error) error {
	if c.s.cfg.NoFactCache {
		return c.s.st.Update(c.Ctx, fn)
	}
	var last *factTx // the attempt that committed (the store may retry fn)
	err := c.s.st.Update(c.Ctx, func(tx store.Tx) error {
		ftx := &factTx{Tx: tx, fc: &c.s.facts, gen: c.s.facts.generation()}
		if err := fn(ftx); err != nil {
			return err
		}
		last = ftx
		return nil
	})
	if err == nil && last != nil {
		last.publish()
	}
	return err
}

// BeginReset turns the fact cache off while the store is reset behind the
// service's back (POST /_gatehouse/reset); EndReset turns it on again, empty.
func (s *Service) BeginReset() {
	s.facts.mu.Lock()
	s.facts.resets++
	s.facts.clearLocked()
	s.facts.mu.Unlock()
}

// EndReset: see BeginReset.
func (s *Service) EndReset() {
	s.facts.mu.Lock()
	if s.facts.resets > 0 {
		s.facts.resets--
	}
	s.facts.clearLocked()
	s.facts.mu.Unlock()
}
