import EmbedRedis
import Testing

/// Whether `body` throws a `RedisError` with `code` whose message contains `text`.
func expectRedisError<T>(
    _ code: RedisError.Code, containing text: String = "", sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> T
) async {
    do {
        _ = try await body()
        Issue.record("expected \(code), got a result", sourceLocation: sourceLocation)
    } catch let error as RedisError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        #expect(error.message.contains(text), "'\(error.message)' should contain '\(text)'", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected a RedisError, got \(error)", sourceLocation: sourceLocation)
    }
}
