package service_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
	"databank/service"
	"databank/store"
	"databank/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// newService returns the services over a fresh, migrated database.
func newService(t *testing.T) *service.Service {
	t.Helper()
	st, err := store.Open(context.Background(), storetest.New(t, store.Migrator{}), store.Options{})
	require.NoError(t, err)
	t.Cleanup(st.Close)
	return service.New(st, service.Options{})
}

// call invokes the service method named op with zero arguments after the
// context, and returns its error; a panic (a zero argument reaching code
// that needs a real one) counts as having got past the policy.
func call(ctx context.Context, svc domain.Services, op string) (err error, panicked bool) {
	m := reflect.ValueOf(svc).MethodByName(op)
	args := []reflect.Value{reflect.ValueOf(ctx)}
	for i := 1; i < m.Type().NumIn(); i++ {
		args = append(args, reflect.Zero(m.Type().In(i)))
	}
	defer func() {
		if p := recover(); p != nil {
			err, panicked = fmt.Errorf("panic: %v", p), true
		}
	}()
	out := m.Call(args)
	if e, ok := out[len(out)-1].Interface().(error); ok {
		return e, false
	}
	return nil, false
}

// Every operation of the services is checked against the policy before
// anything else: for every method and every role, the call is refused
// exactly when the policy says so. A method that forgets to ask the
// policy reaches the store instead and fails this test.
func TestEveryOperationIsAuthorised(t *testing.T) {
	svc := newService(t)
	actors := []domain.Actor{
		{},
		{Name: "rita", Role: domain.RoleResearcher},
		{Name: "sam", Role: domain.RoleStaff, Biobanks: []string{domain.AllBiobanks}},
		{Name: "ada", Role: domain.RoleAdmin},
		{Name: "lega", Role: domain.RoleFederation},
	}
	typ := reflect.TypeFor[domain.Services]()
	for i := range typ.NumMethod() {
		op := typ.Method(i).Name
		for _, a := range actors {
			want := domain.ErrorCode(domain.Authorize(a, domain.Operation(op)))
			if want == "" && a.AggregatesOnly() && (op == "Samples" || op == "Donors") {
				want = domain.EFORBIDDEN // a listing's items; its counts alone are allowed (graph/aggregate_test.go)
			}
			if r, _ := domain.PolicyRule(domain.Operation(op)); want == "" && a.AggregatesOnly() && r.Approved {
				want = domain.EFORBIDDEN // rows for approved researchers only, and rita is approved for nothing (graph/approval_test.go)
			}
			if want == "" && (op == "ImportFile" || op == "SaveOntology") {
				continue // allowed: a zero reader or vocabulary is no test of the policy
			}
			t.Run(op+"/"+a.Role, func(t *testing.T) {
				err, _ := call(domain.WithActor(context.Background(), a), svc, op)
				got := domain.ErrorCode(err)
				if want != "" {
					assert.Equal(t, want, got, "%s by %q: %v", op, a.Role, err)
					return
				}
				assert.NotContains(t, []string{domain.EUNAUTHORIZED, domain.EFORBIDDEN}, got, "%s by %q: %v", op, a.Role, err)
			})
		}
	}
}
