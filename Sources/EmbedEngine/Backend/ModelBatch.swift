/// The part of a model an input runs through. A text embedding model has a text tower; a
/// CLIP-style dual encoder has a text tower and a vision tower that embed into one space.
public enum Tower: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Texts and token ids.
    case text
    /// Images (CLIP-style vision encoders).
    case vision

    /// The tower's name, as logs and errors show it.
    public var description: String { rawValue }
}

/// One tensor of a batch: its shape and its values, row-major.
public struct BatchTensor: Sendable, Equatable {
    /// The values, in the element type the engine made them.
    public enum Values: Sendable, Equatable {
        /// 64-bit integers (token ids, masks).
        case int64([Int64])
        /// 32-bit floats (pixel values).
        case float32([Float])
    }

    /// The size of each dimension.
    public var shape: [Int]
    /// `shape.reduce(1, *)` values.
    public var values: Values

    /// Creates a tensor.
    public init(shape: [Int], values: Values) {
        self.shape = shape
        self.values = values
    }

    /// The values when they are 64-bit integers.
    public var int64s: [Int64]? {
        if case .int64(let values) = values { return values }
        return nil
    }

    /// The values when they are 32-bit floats.
    public var floats: [Float]? {
        if case .float32(let values) = values { return values }
        return nil
    }
}

/// The inputs of one model run for one tower: named tensors with one row per input, in the
/// order the engine wants the vectors back. It says nothing about how the inputs were made
/// (a tokenizer, an image decoder), so any backend can run it.
///
/// A text tower's batch holds ``inputIds``, ``attentionMask`` and ``tokenTypeIds``, each
/// int64 `[rows, length]`, padded on the right; a backend feeds the ones its model declares.
/// A vision tower's batch holds ``pixelValues``, float32 `[rows, 3, height, width]`.
public struct ModelBatch: Sendable, Equatable {
    /// `input_ids`: token ids, int64 `[rows, length]`.
    public static let inputIds = "input_ids"
    /// `attention_mask`: 1 for real tokens, 0 for padding, int64 `[rows, length]`.
    public static let attentionMask = "attention_mask"
    /// `token_type_ids`: segment ids, int64 `[rows, length]`.
    public static let tokenTypeIds = "token_type_ids"
    /// `pixel_values`: preprocessed images, float32 `[rows, 3, height, width]`.
    public static let pixelValues = "pixel_values"

    /// The tower these inputs are for.
    public var tower: Tower
    /// The number of inputs.
    public var rows: Int
    /// The tensors by name.
    public var tensors: [String: BatchTensor]
    /// Text towers: per row, the leading tokens that belong to a prompt (the start token
    /// included), empty when no row has one. Pooling leaves them out when the model's pooling
    /// excludes the prompt.
    public var promptLengths: [Int]

    /// Creates a batch.
    public init(tower: Tower, rows: Int, tensors: [String: BatchTensor], promptLengths: [Int] = []) {
        self.tower = tower
        self.rows = rows
        self.tensors = tensors
        self.promptLengths = promptLengths
    }

    /// The tensor named `name`.
    public subscript(name: String) -> BatchTensor? { tensors[name] }

    /// The padded length of a text batch (the second dimension of `input_ids`), 0 otherwise.
    public var length: Int {
        guard let shape = tensors[Self.inputIds]?.shape, shape.count == 2 else { return 0 }
        return shape[1]
    }

    /// The real (not padding) tokens of a text batch, 0 otherwise.
    public var realTokenCount: Int {
        Int(tensors[Self.attentionMask]?.int64s?.reduce(0, +) ?? 0)
    }
}
