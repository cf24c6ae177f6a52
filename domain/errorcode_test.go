package domain_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"databank/domain"
)

func TestErrorCode(t *testing.T) {
	tests := []struct {
		name string
		err  error
		code string
		msg  string
	}{
		{"nil", nil, "", ""},
		{"domain", domain.Errorf(domain.ENOTFOUND, "sample x not found"), domain.ENOTFOUND, "sample x not found"},
		{"wrapped domain", fmt.Errorf("op: %w", domain.Errorf(domain.EINVALID, "bad")), domain.EINVALID, "bad"},
		{"plain", errors.New("boom"), domain.EINTERNAL, "internal error"},
		{"internal", domain.Internal(errors.New("boom"), "store: x"), domain.EINTERNAL, "internal error"},
		{"cancelled", domain.Internal(context.Canceled, "store: x"), domain.ECANCELLED, "the request was cancelled"},
		{"deadline", fmt.Errorf("q: %w", context.DeadlineExceeded), domain.ETIMEOUT, "the request took longer than its time limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.code, domain.ErrorCode(tt.err))
			if tt.err != nil {
				assert.Equal(t, tt.msg, domain.ErrorMessage(tt.err))
			}
		})
	}
}
