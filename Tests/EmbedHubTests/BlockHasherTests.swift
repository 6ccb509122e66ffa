import Crypto
@testable import EmbedHub
import Foundation
import Testing

/// The model store's own SHA-256 and SHA-1 against swift-crypto (BoringSSL on Linux) and
/// the FIPS 180 examples: every length around the padding's boundaries, and the same bytes
/// fed in different chunkings.
struct BlockHasherTests {
    static func ours<C: BlockCompression>(_: C.Type, _ chunks: [[UInt8]]) -> [UInt8] {
        var hasher = BlockHasher<C>()
        for chunk in chunks { hasher.update(chunk) }
        return hasher.finalize()
    }

    /// Bytes from a fixed-seed generator (SplitMix64), so a failure can be reproduced.
    static func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return UInt8(truncatingIfNeeded: z ^ (z >> 31))
        }
    }

    @Test func theFIPSExamples() {
        let abc = Array("abc".utf8)
        let twoBlocks = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(Checksum.hex(Self.ours(SHA256Compression.self, [abc]))
            == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Checksum.hex(Self.ours(SHA256Compression.self, [twoBlocks]))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(Checksum.hex(Self.ours(SHA256Compression.self, []))
            == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Checksum.hex(Self.ours(SHA1Compression.self, [abc])) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(Checksum.hex(Self.ours(SHA1Compression.self, [twoBlocks])) == "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
    }

    @Test func everyLengthUpToFourBlocksMatchesSwiftCrypto() {
        for count in 0...260 {
            let data = Self.bytes(count, seed: UInt64(count))
            #expect(Self.ours(SHA256Compression.self, [data]) == Array(SHA256.hash(data: data)), "length \(count)")
            #expect(Self.ours(SHA1Compression.self, [data]) == Array(Insecure.SHA1.hash(data: data)), "length \(count)")
        }
    }

    @Test func chunkingDoesNotChangeTheDigest() {
        let data = Self.bytes(5000, seed: 7)
        let expected256 = Array(SHA256.hash(data: data))
        let expected1 = Array(Insecure.SHA1.hash(data: data))
        for size in [1, 3, 63, 64, 65, 127, 1000, 4999] {
            let chunks = stride(from: 0, to: data.count, by: size).map { Array(data[$0..<min($0 + size, data.count)]) }
            #expect(Self.ours(SHA256Compression.self, chunks) == expected256, "chunks of \(size)")
            #expect(Self.ours(SHA1Compression.self, chunks) == expected1, "chunks of \(size)")
        }
        #expect(Self.ours(SHA256Compression.self, [[], data, []]) == expected256, "empty chunks")
    }

    @Test func aMegabyteMatches() {
        let data = Self.bytes(1 << 20, seed: 42)
        #expect(Self.ours(SHA256Compression.self, [data]) == Array(SHA256.hash(data: data)))
    }
}
