@testable import EmbedRedisCache
import NIOCore
import Testing

@Suite("Vector records and fp16 (no server)")
struct VectorRecordTests {
    let digest: [UInt8] = (0..<32).map { UInt8($0 * 7 & 0xff) }

    /// A deterministic pseudo-random vector, L2-normalised like a model's output.
    static func vector(_ seed: UInt64, dimension: Int) -> [Float] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        var values: [Float] = []
        for _ in 0..<dimension {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            values.append(Float(Int64(bitPattern: state) % 1_000_000) / 1_000_000)
        }
        let norm = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return values.map { $0 / norm }
    }

    @Test("fp32: the vector and token count come back bit for bit")
    func float32RoundTrip() throws {
        let vector = Self.vector(1, dimension: 384) + [0, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
        let record = VectorRecord.encode(vector, tokenCount: 17, digest: digest, as: .float32)
        #expect(record.readableBytes == VectorRecord.headerSize + vector.count * 4)
        let decoded = try #require(VectorRecord.decode(record, dimension: vector.count, digest: digest))
        #expect(decoded.vector.map(\.bitPattern) == vector.map(\.bitPattern))
        #expect(decoded.tokenCount == 17)
    }

    #if !(os(macOS) && arch(x86_64))
    @Test("fp16 conversion equals Swift's Float16 on every half value and on 200,000 floats")
    func halfMatchesFloat16() {
        for bits in UInt16.min...UInt16.max {
            let expected = Float(Float16(bitPattern: bits))
            let got = HalfFloat.value(of: bits)
            #expect(got.bitPattern == expected.bitPattern || (got.isNaN && expected.isNaN), "half \(bits)")
            if !expected.isNaN {
                #expect(HalfFloat.bits(of: expected) == bits || expected == 0, "round trip of \(bits)")
            }
        }
        var state: UInt32 = 12345
        var mismatches = 0
        for _ in 0..<200_000 {
            state = state &* 1_664_525 &+ 1_013_904_223
            let value = Float(bitPattern: state)
            guard !value.isNaN else { continue }
            if HalfFloat.bits(of: value) != Float16(value).bitPattern { mismatches += 1 }
        }
        #expect(mismatches == 0, "exact: every float rounds as Float16(x) does")
    }
    #endif

    @Test("fp16 records: half the bytes, cosine against fp32 at least 0.9999 on 1,000 384-d vectors")
    func float16Cosine() throws {
        var worst: Float = 1
        for seed in 1...1000 {
            let vector = Self.vector(UInt64(seed), dimension: 384)
            let record = VectorRecord.encode(vector, tokenCount: 3, digest: digest, as: .float16)
            #expect(record.readableBytes == VectorRecord.headerSize + 384 * 2)
            let decoded = try #require(VectorRecord.decode(record, dimension: 384, digest: digest)).vector
            let dot = zip(vector, decoded).reduce(0) { $0 + $1.0 * $1.1 }
            let norm = decoded.reduce(0) { $0 + $1 * $1 }.squareRoot()
            worst = min(worst, dot / norm)
        }
        #expect(worst >= 0.9999, "worst cosine \(worst) (tolerance: 0.9999)")
    }

    @Test("a record that fails a check is refused, with the check named")
    func refusals() {
        let vector = Self.vector(2, dimension: 8)
        let good = VectorRecord.encode(vector, tokenCount: 4, digest: digest, as: .float32)
        func check(_ buffer: ByteBuffer, dimension: Int = 8, digest: [UInt8]? = nil) -> VectorRecord.Problem? {
            if case .failure(let problem) = VectorRecord.check(buffer, dimension: dimension, digest: digest ?? self.digest) {
                return problem
            }
            return nil
        }
        func changed(_ offset: Int, _ byte: UInt8) -> ByteBuffer {
            var bytes = Array(good.readableBytesView)
            bytes[offset] = byte
            return ByteBuffer(bytes: bytes)
        }
        #expect(check(good) == nil)
        #expect(check(ByteBuffer(string: "not a record")) == .tooShort)
        #expect(check(changed(0, 0x58)) == .badMagic)
        #expect(check(changed(3, 9)) == .unknownVersion(9))
        #expect(check(changed(4, 7)) == .unknownElementType(7))
        #expect(check(good, dimension: 16) == .wrongDimension(8))
        #expect(check(ByteBuffer(bytes: Array(good.readableBytesView.dropLast(4)))) == .wrongSize)
        #expect(check(changed(VectorRecord.headerSize + 5, 0x42)) == .badChecksum)
        #expect(check(good, digest: Array(digest.reversed())) == .badChecksum, "a record copied under another key")
        let infinite = VectorRecord.encode([1, .infinity, 0, 0, 0, 0, 0, 0], tokenCount: 1, digest: digest, as: .float32)
        #expect(check(infinite) == .notFinite)
    }
}
