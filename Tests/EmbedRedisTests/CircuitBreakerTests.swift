@testable import EmbedRedis
import Synchronization
import Testing

/// A clock the test moves by hand.
final class ManualClock: Sendable {
    private let instant = Mutex(ContinuousClock.now)

    var now: ContinuousClock.Instant { instant.withLock { $0 } }

    func advance(_ duration: Duration) {
        instant.withLock { $0 += duration }
    }
}

@Suite("Circuit breaker")
struct CircuitBreakerTests {
    let clock = ManualClock()
    let recorder = LogRecorder()

    func makeBreaker(threshold: Int = 3) -> CircuitBreaker {
        let clock = clock
        return CircuitBreaker(
            threshold: threshold, coolDown: .seconds(2), address: "127.0.0.1:1", logger: recorder.logger(),
            now: { clock.now })
    }

    /// Runs one admitted call ending with `outcome`.
    func call(_ breaker: CircuitBreaker, _ outcome: CircuitBreaker.Outcome) throws(RedisError) {
        let permit = try breaker.admit()
        breaker.record(outcome, permit)
    }

    @Test("opens after N consecutive faults; a success in between resets the count")
    func opens() throws {
        let breaker = makeBreaker()
        try call(breaker, .fault)
        try call(breaker, .fault)
        try call(breaker, .success)
        try call(breaker, .fault)
        try call(breaker, .fault)
        #expect(breaker.current == .closed, "2 consecutive faults, threshold 3")
        try call(breaker, .neutral)
        try call(breaker, .fault)
        #expect(breaker.current == .open, "3 consecutive faults (a neutral outcome does not reset)")
        #expect(throws: RedisError.self) { try breaker.admit() }
        do {
            _ = try breaker.admit()
        } catch {
            #expect(error.code == .circuitOpen)
            #expect(error.message.contains("127.0.0.1:1"))
        }
        #expect(recorder.messages(containing: "circuit breaker open").count == 1, "one log line for the change (exact)")
    }

    @Test("half-open after the cool-down: one probe; its success closes")
    func recovers() throws {
        let breaker = makeBreaker(threshold: 1)
        try call(breaker, .fault)
        clock.advance(.milliseconds(1999))
        #expect(throws: RedisError.self) { try breaker.admit() }
        clock.advance(.milliseconds(1))
        let probe = try breaker.admit()
        #expect(probe.isProbe)
        #expect(breaker.current == .halfOpen)
        #expect(throws: RedisError.self, "a second call while the probe is in flight") { try breaker.admit() }
        breaker.record(.success, probe)
        #expect(breaker.current == .closed)
        try call(breaker, .success)
        let lines = recorder.all.map(\.message).filter { $0.contains("circuit breaker") }
        #expect(lines.count == 3, "open, half-open, closed: one line each (got \(lines)) (exact)")
    }

    @Test("a failed probe reopens for another cool-down; a neutral probe frees the slot")
    func probeFails() throws {
        let breaker = makeBreaker(threshold: 1)
        try call(breaker, .fault)
        clock.advance(.seconds(2))
        try call(breaker, .fault)
        #expect(breaker.current == .open)
        clock.advance(.seconds(1))
        #expect(throws: RedisError.self) { try breaker.admit() }
        clock.advance(.seconds(1))
        try call(breaker, .neutral)
        #expect(breaker.current == .halfOpen)
        let probe = try breaker.admit()
        #expect(probe.isProbe)
        breaker.record(.success, probe)
        #expect(breaker.current == .closed)
    }

    @Test("a late success of a call admitted before the opening does not close it")
    func lateSuccess() throws {
        let breaker = makeBreaker(threshold: 1)
        let early = try breaker.admit()
        try call(breaker, .fault)
        breaker.record(.success, early)
        #expect(breaker.current == .open)
    }

    @Test("metric values")
    func metricValues() {
        #expect(RedisBreakerState.closed.metricValue == 0, "exact")
        #expect(RedisBreakerState.halfOpen.metricValue == 1, "exact")
        #expect(RedisBreakerState.open.metricValue == 2, "exact")
        #expect("\(RedisBreakerState.halfOpen)" == "half-open")
    }
}
