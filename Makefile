# Topiary: the two set-up commands are `make demo` and `make test`.
SWIFT ?= swift
SAMPLE ?= samples/models/cnn/model.h5

.PHONY: deps build demo lint format test bench-reference bench clean

deps:
	scripts/install-deps.sh

build: deps
	$(SWIFT) build -c release

BIN = $$($(SWIFT) build -c release --show-bin-path)

## Builds Topiary, then inspects a bundled sample model, converts it to C in out/ and checks
## the compiled C against the Swift reference on the sample's test inputs.
demo: build
	$(BIN)/topiary inspect $(SAMPLE)
	mkdir -p out
	$(BIN)/topiary convert $(SAMPLE) -o out/demo --name demo
	$(BIN)/topiary verify $(SAMPLE) --input $(dir $(SAMPLE))input.npy

## The Swift sources, manifest included, that the format check covers.
SWIFT_SOURCES = Package.swift Sources Tests bench/ReferenceThroughput

## Fails when a Swift file differs from what `make format` would write (rules: .swift-format).
lint:
	$(SWIFT) format lint --strict --parallel --recursive $(SWIFT_SOURCES)

## Rewrites the Swift files in place to the style .swift-format describes.
format:
	$(SWIFT) format format --in-place --parallel --recursive $(SWIFT_SOURCES)

## Checks the format, then runs the whole test suite (no Python needed).
test: deps lint
	$(SWIFT) test

## Samples per second of the float reference inference on the CNN sample.
bench-reference: deps
	$(SWIFT) run -c release reference-bench samples/models/cnn

## Benchmarks every sample model and variant beside TFLite int8 and emlearn (peers installed
## from PyPI into bench/work/venv); writes bench/RESULTS.md and its plots. BENCH_QUICK=1: smoke run.
bench: deps
	bench/run.sh

clean:
	rm -rf .build
