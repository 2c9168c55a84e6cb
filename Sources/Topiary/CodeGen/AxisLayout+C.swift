extension AxisLayout {
    /// The `tp_axis_f32_params` declaration.
    func declaration(symbol: String) -> String {
        CInitializer.declaration(
            type: "tp_axis_f32_params", symbol: symbol,
            fields: [
                ("outer", "\(outer)"), ("length", "\(length)"), ("inner", "\(inner)"),
            ])
    }
}
