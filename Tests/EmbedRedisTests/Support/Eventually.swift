import Testing

/// Polls `condition` every 5 ms until it holds (true) or `timeout` passes (false, and an
/// issue is recorded). Tests wait on state this way instead of sleeping a fixed time.
@discardableResult
func eventually(
    _ what: String, timeout: Duration = .seconds(10), sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: () -> Bool
) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("\(what) did not happen within \(timeout)", sourceLocation: sourceLocation)
            return false
        }
        try await Task.sleep(for: .milliseconds(5))
    }
    return true
}
