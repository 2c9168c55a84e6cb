extension Array where Element == Float {
    /// These values as one per channel: unchanged when there is one per channel, repeated when
    /// there is a single shared value (as Keras allows for Rescaling and scalar statistics),
    /// nil otherwise.
    func perChannel(_ channels: Int) -> [Float]? {
        if count == channels { return self }
        if count == 1 { return [Float](repeating: self[0], count: channels) }
        return nil
    }
}
