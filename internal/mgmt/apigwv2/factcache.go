package apigwv2

import (
	"errors"
	"strings"
	"sync"

	"github.com/gatehouse-dev/gatehouse/internal/mgmt/awserr"
	"github.com/gatehouse-dev/gatehouse/internal/store"
)

// factCache remembers two facts per API that every child write would
// otherwise re-read from the store: that the API exists, with its protocol type
// (immutable), and that none of its stages auto-deploys. CreateIntegration on
// a large API spends a fifth of its time re-reading exactly these.
//
// Soundness rests on the store contract that Update transactions are
// serialized (one process, one writer):
//   - facts are only learned and consulted inside write transactions, never in
//     read-only views (a view may see a snapshot older than a concurrent delete);
//   - every write through the transaction's store.Tx forgets what it may
//     change, immediately (forgetting is always safe), so the wrapper below is
//     the single place that keeps the cache honest;
//   - facts learned by a transaction function become visible only if the
//     function succeeds (a failed one is rolled back to its savepoint, and what
//     it read may have been its own, now undone, writes); a write in the same
//     function drops what it learned about that API;
//   - a failed commit, or a reset of the whole store, forgets everything.
//
// A multi-node store would need cross-node invalidation; it must not enable
// this cache (Config.NoFactCache).
type factCache struct {
	mu           sync.Mutex
	protocol     map[string]string   // apiScope → protocolType: the API exists
	noAutoDeploy map[string]struct{} // apiScope → no stage of the API auto-deploys
}

func (fc *factCache) reset() {
	fc.mu.Lock()
	fc.protocol, fc.noAutoDeploy = nil, nil
	fc.mu.Unlock()
}

func (fc *factCache) lookupProtocol(api string) (string, bool) {
	fc.mu.Lock()
	p, ok := fc.protocol[api]
	fc.mu.Unlock()
	return p, ok
}

func (fc *factCache) knownNoAutoDeploy(api string) bool {
	fc.mu.Lock()
	_, ok := fc.noAutoDeploy[api]
	fc.mu.Unlock()
	return ok
}

// factTx is the store.Tx that write transactions see: writes forget facts,
// reads through loadAPIMeta and autoDeploy learn them.
type factTx struct {
	store.Tx
	fc *factCache
	// learned in this transaction function; published if it succeeds
	protocol     map[string]string
	noAutoDeploy map[string]struct{}
}

// forget drops what the cache, and this transaction, know about an API's
// existence (kind "api" written) or its stages (kind "stage" written).
func (t *factTx) forget(kind store.Kind, scope, id string) {
	switch kind {
	case kindAPI:
		api := store.Join(scope, "apis", id)
		t.fc.mu.Lock()
		delete(t.fc.protocol, api)
		delete(t.fc.noAutoDeploy, api)
		t.fc.mu.Unlock()
		delete(t.protocol, api)
		delete(t.noAutoDeploy, api)
	case kindStage:
		t.fc.mu.Lock()
		delete(t.fc.noAutoDeploy, scope)
		t.fc.mu.Unlock()
		delete(t.noAutoDeploy, scope)
	}
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
// a route's or integration's subtree holds no API or stage records).
func (t *factTx) DeleteTree(scope string) error {
	under := func(api string) bool { return api == scope || strings.HasPrefix(api, scope+"/") }
	t.fc.mu.Lock()
	for api := range t.fc.protocol {
		if under(api) {
			delete(t.fc.protocol, api)
		}
	}
	for api := range t.fc.noAutoDeploy {
		if under(api) {
			delete(t.fc.noAutoDeploy, api)
		}
	}
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

// publish makes what the (successful) transaction function learned visible.
func (t *factTx) publish() {
	if len(t.protocol) == 0 && len(t.noAutoDeploy) == 0 {
		return
	}
	t.fc.mu.Lock()
	defer t.fc.mu.Unlock()
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
	err := c.s.st.Update(c.Ctx, func(tx store.Tx) error {
		ftx := &factTx{Tx: tx, fc: &c.s.facts}
		if err := fn(ftx); err != nil {
			return err
		}
		ftx.publish()
		return nil
	})
	var ae *awserr.Error
	if err != nil && !errors.As(err, &ae) {
		// Not a client error: the commit itself may have failed, undoing
		// writes whose facts other functions in the same batch published.
		c.s.facts.reset()
	}
	return err
}

// ForgetCachedFacts drops every cached fact; call it after the store was
// changed behind the service's back (POST /_gatehouse/reset).
func (s *Service) ForgetCachedFacts() { s.facts.reset() }
