# Sourced by the benchmark scripts (from the repository root): builds the release `topiary`
# in SCRATCH (SwiftPM scratch path, default .build) and sets TOPIARY to its path.
SCRATCH=${SCRATCH:-.build}
swift build -c release --scratch-path "$SCRATCH" --product topiary >/dev/null
TOPIARY="$(swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/topiary"
