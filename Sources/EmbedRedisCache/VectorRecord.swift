public import NIOCore

/// A cached vector as stored in Redis: a 24-byte header, then the elements.
///
/// Header (little-endian): `SEV` and the format version (1), the element type (1 fp32,
/// 2 fp16), three zero bytes, the dimension (u32), the input's token count (u32), and an
/// FNV-1a 64 checksum of the key's digest and the elements. A record that fails any check
/// (size, magic, version, type, dimension, checksum, a non-finite element) is not served.
public enum VectorRecord {
    static let magic: [UInt8] = [0x53, 0x45, 0x56]  // "SEV"
    static let version: UInt8 = 1
    static let headerSize = 24

    /// The bytes of `vector` and `tokenCount` for the key whose digest is `digest`.
    public static func encode(
        _ vector: [Float], tokenCount: Int, digest: [UInt8], as type: RedisCacheConfiguration.ElementType
    ) -> ByteBuffer {
        var payload = ByteBuffer()
        payload.reserveCapacity(vector.count * (type == .float32 ? 4 : 2))
        for value in vector {
            switch type {
            case .float32: payload.writeInteger(value.bitPattern, endianness: .little)
            case .float16: payload.writeInteger(HalfFloat.bits(of: value), endianness: .little)
            }
        }
        var buffer = ByteBuffer()
        buffer.reserveCapacity(headerSize + payload.readableBytes)
        buffer.writeBytes(magic)
        buffer.writeInteger(version)
        buffer.writeInteger(type == .float32 ? UInt8(1) : UInt8(2))
        buffer.writeBytes([0, 0, 0])
        buffer.writeInteger(UInt32(vector.count), endianness: .little)
        buffer.writeInteger(UInt32(clamping: max(0, tokenCount)), endianness: .little)
        buffer.writeInteger(checksum(digest: digest, payload: payload), endianness: .little)
        buffer.writeImmutableBuffer(payload)
        return buffer
    }

    /// The vector and token count in `record`, or `nil` when it fails a check (``Problem``
    /// says which, see ``check(_:dimension:digest:)``).
    public static func decode(_ record: ByteBuffer, dimension: Int, digest: [UInt8]) -> (vector: [Float], tokenCount: Int)? {
        try? check(record, dimension: dimension, digest: digest).get()
    }

    /// Why a record is refused.
    public enum Problem: Error, Equatable {
        case tooShort, badMagic, unknownVersion(UInt8), unknownElementType(UInt8), wrongDimension(Int)
        case wrongSize, badChecksum, notFinite
    }

    /// The vector and token count in `record`, or the first check it fails.
    public static func check(
        _ record: ByteBuffer, dimension: Int, digest: [UInt8]
    ) -> Result<(vector: [Float], tokenCount: Int), Problem> {
        var buffer = record
        guard buffer.readableBytes >= headerSize, let head = buffer.readBytes(length: 8),
            let stored = buffer.readInteger(endianness: .little, as: UInt32.self),
            let tokens = buffer.readInteger(endianness: .little, as: UInt32.self),
            let sum = buffer.readInteger(endianness: .little, as: UInt64.self)
        else { return .failure(.tooShort) }
        guard Array(head[0..<3]) == magic else { return .failure(.badMagic) }
        guard head[3] == version else { return .failure(.unknownVersion(head[3])) }
        guard head[4] == 1 || head[4] == 2 else { return .failure(.unknownElementType(head[4])) }
        guard Int(stored) == dimension else { return .failure(.wrongDimension(Int(stored))) }
        let width = head[4] == 1 ? 4 : 2
        guard buffer.readableBytes == dimension * width else { return .failure(.wrongSize) }
        guard checksum(digest: digest, payload: buffer) == sum else { return .failure(.badChecksum) }
        var vector: [Float] = []
        vector.reserveCapacity(dimension)
        for _ in 0..<dimension {
            let value: Float
            if width == 4 {
                guard let bits = buffer.readInteger(endianness: .little, as: UInt32.self) else { return .failure(.wrongSize) }
                value = Float(bitPattern: bits)
            } else {
                guard let bits = buffer.readInteger(endianness: .little, as: UInt16.self) else { return .failure(.wrongSize) }
                value = HalfFloat.value(of: bits)
            }
            guard value.isFinite else { return .failure(.notFinite) }
            vector.append(value)
        }
        return .success((vector, Int(tokens)))
    }

    /// FNV-1a 64 over the digest, then the payload's readable bytes.
    static func checksum(digest: [UInt8], payload: ByteBuffer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in digest { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        for byte in payload.readableBytesView { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return hash
    }
}
