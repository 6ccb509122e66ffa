import Dispatch
public import EmbedEngine
import Synchronization

/// A backend for tests that needs no model and no runtime, as swift-log's `InMemoryLogging`
/// is a logger for tests: it makes a deterministic vector from each row's real tokens
/// (independent of padding and of the other rows, so a vector does not depend on the batch
/// it ran in), records every batch it is given, and can be held so that a test sees work
/// queue up behind it.
public final class RecordingBackend: EmbeddingBackend {
    /// One batch the backend ran.
    public struct Run: Sendable, Equatable {
        /// The tower it was for.
        public var tower: Tower
        /// Its rows.
        public var rows: Int
        /// Its padded length.
        public var length: Int
        /// Its real (not padding) tokens.
        public var realTokens: Int

        /// Rows × length.
        public var paddedTokens: Int { rows * length }
    }

    private struct State {
        var runs: [Run] = []
        var isHeld = false
        var blocked = 0
        var failure: EmbedError?
    }

    /// The size of the vectors it makes.
    public let dimension: Int
    public let towers: Set<Tower>
    public var engineName: String { "recording test backend (\(dimension) dimensions)" }
    private let state = Mutex(State())
    private let gate = DispatchSemaphore(value: 0)

    /// A backend making vectors of `dimension` values for `towers`.
    public init(dimension: Int = 8, towers: Set<Tower> = [.text]) {
        self.dimension = dimension
        self.towers = towers
    }

    /// The batches run so far, in the order they started.
    public var runs: [Run] { state.withLock { $0.runs } }

    /// Runs blocked by ``hold()`` right now.
    public var blockedRuns: Int { state.withLock { $0.blocked } }

    /// From now on, runs wait (blocking their worker thread) until ``release()``.
    public func hold() { state.withLock { $0.isHeld = true } }

    /// Lets every waiting run go on, and later runs too.
    public func release() {
        let blocked = state.withLock { state in
            state.isHeld = false
            defer { state.blocked = 0 }
            return state.blocked
        }
        for _ in 0..<blocked { gate.signal() }
    }

    /// Makes the following runs fail with `error` (`nil`: succeed again).
    public func fail(with error: EmbedError?) { state.withLock { $0.failure = error } }

    public func run(_ batch: ModelBatch) throws(EmbedError) -> BackendOutput {
        let (held, failure) = state.withLock { state in
            state.runs.append(Run(tower: batch.tower, rows: batch.rows, length: batch.length, realTokens: batch.realTokenCount))
            if state.isHeld { state.blocked += 1 }
            return (state.isHeld, state.failure)
        }
        if held { gate.wait() }
        if let failure { throw failure }
        guard let ids = batch[ModelBatch.inputIds]?.int64s, let mask = batch[ModelBatch.attentionMask]?.int64s else {
            throw EmbedError(.runtime, "the recording backend needs input_ids and attention_mask")
        }
        let length = batch.length
        let vectors = (0..<batch.rows).map { row in
            let start = row * length
            let real = (start..<(start + length)).filter { mask[$0] != 0 }.map { Int(ids[$0]) }
            return Self.vector(of: real, dimension: dimension)
        }
        return BackendOutput(vectors: vectors)
    }

    /// The (not normalised) vector the backend makes for a row of token ids: the mean over
    /// the tokens of a fixed pseudo-random embedding of each id.
    public static func vector(of ids: [Int], dimension: Int) -> [Float] {
        var sums = [Double](repeating: 0, count: dimension)
        for id in ids {
            for index in 0..<dimension { sums[index] += (Double(id * (index + 1)) * 0.618_034).truncatingRemainder(dividingBy: 2) - 1 }
        }
        let count = Double(max(ids.count, 1))
        return sums.map { Float($0 / count) }
    }
}
