/// The Topiary release, recorded in generated files and printed by `topiary --version`.
public enum Topiary {
    public static let version = "0.1.0"
}
