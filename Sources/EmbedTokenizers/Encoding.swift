/// The result of tokenizing one text: ids and everything a model or a caller needs
/// next to them.
///
/// All arrays have the same length. ``offsets`` are in Unicode scalars of the original
/// text (the unit Python's `str` and the `tokenizers` Python binding use); special and
/// padding tokens have the empty range `0..<0`.
public struct Encoding: Sendable, Equatable {
    /// Token ids.
    public var ids: [Int]
    /// Segment (token type) ids.
    public var typeIds: [Int]
    /// 1 for real tokens, 0 for padding.
    public var attentionMask: [Int]
    /// 1 for tokens added by the post-processor and for padding.
    public var specialTokensMask: [Int]
    /// For each token, the range of the original text it comes from.
    public var offsets: [Range<Int>]

    /// Creates an encoding.
    public init(ids: [Int], typeIds: [Int], attentionMask: [Int], specialTokensMask: [Int], offsets: [Range<Int>]) {
        self.ids = ids
        self.typeIds = typeIds
        self.attentionMask = attentionMask
        self.specialTokensMask = specialTokensMask
        self.offsets = offsets
    }

    /// The number of tokens (padding included).
    public var count: Int { ids.count }

    /// The number of real (not padding) tokens.
    public var realTokenCount: Int { attentionMask.reduce(0, +) }

    /// A copy padded to `length` tokens (unchanged when already at least that long).
    public func padded(to length: Int, with padding: Padding) -> Encoding {
        let missing = length - count
        guard missing > 0 else { return self }
        var copy = self
        let pads = (
            ids: [Int](repeating: padding.padId, count: missing),
            types: [Int](repeating: padding.padTypeId, count: missing),
            zeros: [Int](repeating: 0, count: missing),
            ones: [Int](repeating: 1, count: missing),
            offsets: [Range<Int>](repeating: 0..<0, count: missing)
        )
        switch padding.direction {
        case .right:
            copy.ids += pads.ids
            copy.typeIds += pads.types
            copy.attentionMask += pads.zeros
            copy.specialTokensMask += pads.ones
            copy.offsets += pads.offsets
        case .left:
            copy.ids = pads.ids + copy.ids
            copy.typeIds = pads.types + copy.typeIds
            copy.attentionMask = pads.zeros + copy.attentionMask
            copy.specialTokensMask = pads.ones + copy.specialTokensMask
            copy.offsets = pads.offsets + copy.offsets
        }
        return copy
    }
}

extension Padding {
    /// The length a batch whose longest encoding has `longest` tokens is padded to.
    /// With a fixed length, encodings already longer stay as they are.
    public func targetLength(longest: Int) -> Int {
        var length: Int
        switch strategy {
        case .batchLongest: length = longest
        case .fixed(let fixed): length = fixed
        }
        if let multiple = padToMultipleOf, multiple > 0, length % multiple != 0 {
            length += multiple - length % multiple
        }
        return length
    }
}
