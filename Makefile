# Topiary: the two set-up commands are `make demo` and `make test`.
SWIFT ?= swift
SAMPLE ?= samples/models/cnn/model.h5

.PHONY: deps build demo test bench-reference clean

deps:
	scripts/install-deps.sh

build: deps
	$(SWIFT) build -c release

## Builds Topiary and inspects a bundled sample model.
demo: build
	$$($(SWIFT) build -c release --show-bin-path)/topiary inspect $(SAMPLE)

## Runs the whole test suite (no Python needed).
test: deps
	$(SWIFT) test

## Samples per second of the float reference inference on the CNN sample.
bench-reference: deps
	$(SWIFT) run -c release reference-bench samples/models/cnn

clean:
	rm -rf .build
