import Topiary

/// True when a program of this name is in `PATH`.
public func installed(_ tool: String) -> Bool { ExecutableSearch.find(tool) != nil }
