package apigwv2

import (
	"context"
	"errors"
	"testing"

	"github.com/gatehouse-dev/gatehouse/internal/mgmt"
	model "github.com/gatehouse-dev/gatehouse/internal/model/apigwv2"
	"github.com/gatehouse-dev/gatehouse/internal/store"
	"github.com/gatehouse-dev/gatehouse/internal/store/sqlite"
)

// TestFactCacheTransactionRules drives the cache through transaction functions
// directly, for the cases the API cannot easily provoke: facts learned by a
// failed function, and facts a function learned before its own write.
func TestFactCacheTransactionRules(t *testing.T) {
	st, err := sqlite.Open(t.TempDir(), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s := New(st, Config{AccountID: "000000000000"})
	c := &call{Request: &mgmt.Request{Ctx: context.Background(), Region: "us-east-1"}, s: s}
	const id = "abc1234567"
	scope := apiScope("us-east-1", id)
	api := &model.Api{ApiId: id, ProtocolType: "HTTP", Name: "x"}
	if err := c.update(func(tx store.Tx) error { return insert(tx, kindAPI, "us-east-1", id, "", api, nil) }); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")

	// A failed function publishes nothing.
	err = c.update(func(tx store.Tx) error {
		if _, err := c.loadAPIMeta(tx, id); err != nil {
			return err
		}
		if err := c.autoDeploy(tx, api); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if _, ok := s.facts.lookupProtocol(scope); ok || s.facts.knownNoAutoDeploy(scope) {
		t.Fatal("a failed transaction function published facts")
	}

	// A successful one does.
	if err := c.update(func(tx store.Tx) error {
		if _, err := c.loadAPIMeta(tx, id); err != nil {
			return err
		}
		return c.autoDeploy(tx, api)
	}); err != nil {
		t.Fatal(err)
	}
	if p, ok := s.facts.lookupProtocol(scope); !ok || p != "HTTP" || !s.facts.knownNoAutoDeploy(scope) {
		t.Fatalf("facts not published: protocol %q %v, noAutoDeploy %v", p, ok, s.facts.knownNoAutoDeploy(scope))
	}

	// Learning, then writing a stage in the same function: the stage write wins.
	s.BeginReset()
	s.EndReset()
	if err := c.update(func(tx store.Tx) error {
		if err := c.autoDeploy(tx, api); err != nil { // learns "no auto-deploy"
			return err
		}
		return insert(tx, kindStage, scope, "live", "", &model.Stage{StageName: "live", AutoDeploy: true}, nil)
	}); err != nil {
		t.Fatal(err)
	}
	if s.facts.knownNoAutoDeploy(scope) {
		t.Fatal("an auto-deploy stage written after the fact was learned did not drop it")
	}

	// A write elsewhere between learning and the commit: nothing is published
	// (the fact may describe a state another transaction has just changed).
	s.BeginReset()
	s.EndReset()
	if err := c.update(func(tx store.Tx) error {
		if _, err := c.loadAPIMeta(tx, id); err != nil {
			return err
		}
		other := &factTx{Tx: tx, fc: &s.facts}
		other.forget(kindStage, apiScope("us-east-1", "zzzzzzzzzz"), "x")
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.facts.lookupProtocol(scope); ok {
		t.Fatal("a fact learned before another write was published")
	}

	// While a reset runs the cache is off; afterwards it is empty.
	if err := c.update(func(tx store.Tx) error { _, err := c.loadAPIMeta(tx, id); return err }); err != nil {
		t.Fatal(err)
	}
	s.BeginReset()
	if _, ok := s.facts.lookupProtocol(scope); ok {
		t.Fatal("facts consulted during a reset")
	}
	s.EndReset()
	if _, ok := s.facts.lookupProtocol(scope); ok {
		t.Fatal("facts survived a reset")
	}

	// Deleting the API's tree forgets it; a child subtree does not.
	if err := c.update(func(tx store.Tx) error { _, err := c.loadAPIMeta(tx, id); return err }); err != nil {
		t.Fatal(err)
	}
	if err := c.update(func(tx store.Tx) error { return tx.DeleteTree(childScope(scope, "routes", "r1")) }); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.facts.lookupProtocol(scope); !ok {
		t.Fatal("deleting a route's subtree forgot the API")
	}
	if err := c.update(func(tx store.Tx) error { return tx.DeleteTree(scope) }); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.facts.lookupProtocol(scope); ok {
		t.Fatal("deleting the API's tree kept its facts")
	}
}
