# Every habit is a command. `make demo` runs the server with demo data on
# the private PostgreSQL cluster; `make test` runs the checks and every
# test against a real PostgreSQL (TEST_DATABASE_URL, or private clusters).

GO       ?= go
BIN      := bin/databank
PKGS     := ./...
TESTFLAGS ?= -count=1

.PHONY: all build demo serve test unit lint fmt vet staticcheck generate check-generated federation-harness bench fuzz clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/databank

demo: build
	./$(BIN) demo

serve: build
	./$(BIN) serve

## test: lint, verify generated code, then run all tests against PostgreSQL
test: lint check-generated federation-harness unit race

unit:
	$(GO) test $(TESTFLAGS) $(PKGS)

## race: the tests whose code runs goroutines of its own, under the race
## detector (the registry's read-ahead, the services' connection shares,
## the GraphQL prefetch and fair sharing, entity types resolved side by side)
race:
	$(GO) test -race -count=1 -run 'TestBatchesReadLikeOneRowAtATime|FuzzReader|TestReaderFormats|TestReaderLineNumbers' ./importers/registry/
	$(GO) test -race -count=1 -run 'TestConnShare|TestEveryOperationIsAuthorised|TestVocabulary|TestCountIndex' ./service/
	$(GO) test -race -count=1 -run 'TestFairShare|TestSampleWithLineageStatementCount|TestDatasetFilesArePaged|TestEntitiesResolveMixedKeysInOrder' ./graph/

lint: fmt vet staticcheck

fmt:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet $(PKGS)

staticcheck:
	$(GO) tool staticcheck $(PKGS)

generate:
	$(GO) generate ./graph/...

## check-generated: fail when `go generate` would change checked-in code
check-generated:
	@tmp=$$(mktemp -d); mkdir "$$tmp/graph"; tar -C graph --exclude=node_modules -cf - . | tar -C "$$tmp/graph" -xf -; \
	$(GO) generate ./graph/... >/dev/null; \
	if ! diff -r -q -x node_modules "$$tmp/graph" graph >/dev/null; then \
		diff -r -x node_modules "$$tmp/graph" graph | head -40; \
		echo "generated GraphQL code is stale: run 'make generate' and commit"; rm -rf "$$tmp"; exit 1; fi; \
	rm -rf "$$tmp"

## federation-harness: the locked Node.js packages of the federation
## composition test (graph/testdata/federation), installed when npm is
## present and the lockfile is newer than what is installed; without
## Node.js that test skips
FEDERATION := graph/testdata/federation
federation-harness:
	@if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then \
		echo "node/npm not found: the federation composition test will be skipped"; \
	elif [ ! -f $(FEDERATION)/node_modules/.package-lock.json ] || \
		[ $(FEDERATION)/package-lock.json -nt $(FEDERATION)/node_modules/.package-lock.json ]; then \
		cd $(FEDERATION) && npm ci --no-audit --no-fund; fi

bench:
	$(GO) test -run='^$$' -bench=. -benchmem ./ontology/ ./importers/...

## fuzz: every fuzz target for FUZZTIME each (the default run of make test
## only replays their seeds)
FUZZTIME ?= 30s
fuzz:
	@set -e; for t in $$(grep -rl --include='*_test.go' '^func Fuzz' . | xargs grep -h -o '^func Fuzz[A-Za-z0-9_]*' | sort -u | sed 's/func //'); do \
		pkg=$$(dirname $$(grep -rl --include='*_test.go' "^func $$t(" . | head -1)); \
		echo "== $$t ($$pkg)"; $(GO) test -run='^$$' -fuzz="^$$t\$$" -fuzztime=$(FUZZTIME) $$pkg; done

clean:
	rm -rf bin
