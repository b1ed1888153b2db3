# Atrium — developer entry points. The recipes only call scripts/; see there.
#
#   make run        start Atrium with PostgreSQL, Redis and demo data
#   make test       go vet + race-enabled tests against real services
#   make generate   regenerate GraphQL (gqlgen) and SQL (sqlc) code
#   make bench      benchmarks, then one table: ours, baseline, ratio (BENCHTIME=1s BENCHPKGS=./...)
#   make services   start/find the services, write .local/services.env
#   make stop       stop the project-owned services
#   make lint       go vet + staticcheck + gofmt check

SHELL := /bin/bash
.DEFAULT_GOAL := help

BENCHTIME ?= 1s
BENCHPKGS ?= ./...

.PHONY: help run test generate bench services stop lint

help:
	@sed -n 's/^#   make /make /p' $(firstword $(MAKEFILE_LIST))

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

# gqlgen writes shared files: serialise concurrent runs in this machine.
generate:
	go tool sqlc generate
	flock /tmp/atrium-gqlgen.lock go run ./internal/gqlgen

bench:
	BENCHTIME='$(BENCHTIME)' BENCHPKGS='$(BENCHPKGS)' bash scripts/bench.sh

services:
	bash scripts/services.sh

stop:
	bash scripts/replica.sh stop
	bash scripts/services.sh stop

lint:
	go vet ./...
	go tool staticcheck ./...
	@unformatted="$$(find . -path ./.local -prune -o -path ./.git -prune -o -name '*.go' -print | xargs -r gofmt -l)"; \
	if [[ -n "$$unformatted" ]]; then echo "gofmt needed on:"; echo "$$unformatted"; exit 1; fi; \
	echo "gofmt: ok"
