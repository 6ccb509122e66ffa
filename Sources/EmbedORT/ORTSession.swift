#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A loaded model (`OrtSession`): its inputs, outputs and metadata, and ``run(_:outputs:)``.
///
/// The session is immutable after `init` and owns its native handle, which it releases
/// in `deinit`.
public final class ORTSession: @unchecked Sendable {
    // @unchecked: all stored properties are immutable after init, and ONNX Runtime
    // documents `Run` as safe to call concurrently on one session.

    /// The environment the session was created in.
    public let environment: ORTEnvironment
    /// The model's inputs, in the model's order.
    public let inputs: [ORTTensorInfo]
    /// The model's outputs, in the model's order.
    public let outputs: [ORTTensorInfo]
    /// The model's metadata, custom entries included.
    public let metadata: ORTModelMetadata

    let api: ORTAPI
    private let handle: OpaquePointer
    private let memoryInfo: OpaquePointer

    /// Loads the model file at `path`.
    public convenience init(path: String, options: ORTSessionOptions = .init(), environment: ORTEnvironment) throws(ORTError) {
        try self.init(options: options, environment: environment, source: "model \(path)") { api, env, native, out in
            api.createSession(env, path, native, out)
        }
    }

    /// Loads a model from its serialised bytes.
    public convenience init(bytes: [UInt8], options: ORTSessionOptions = .init(), environment: ORTEnvironment) throws(ORTError) {
        guard !bytes.isEmpty else {
            throw ORTError(.invalidArgument, "cannot load a model from 0 bytes")
        }
        try self.init(options: options, environment: environment, source: "model from \(bytes.count) bytes") {
            api, env, native, out in
            bytes.withUnsafeBytes { raw in
                // ONNX Runtime parses the bytes during this call and keeps no reference to them.
                api.createSessionFromArray(env, raw.baseAddress!, raw.count, native, out)
            }
        }
    }

    private init(
        options: ORTSessionOptions, environment: ORTEnvironment, source: String,
        create: (ORTAPI, OpaquePointer, OpaquePointer, ORTAPI.Out) -> ORTAPI.Status
    ) throws(ORTError) {
        let api = environment.library.api
        self.api = api
        self.environment = environment
        let native = try options.makeNative(api: api)
        defer { api.releaseSessionOptions(native) }
        let handle = try api.make("loading \(source)") { create(api, environment.handle, native, $0) }
        do {
            let allocator = try api.make("GetAllocatorWithDefaultOptions") { api.getAllocatorWithDefaultOptions($0) }
            inputs = try Self.readInfos(api: api, session: handle, allocator: allocator, side: .input)
            outputs = try Self.readInfos(api: api, session: handle, allocator: allocator, side: .output)
            metadata = try ORTModelMetadata(api: api, session: handle, allocator: allocator)
            // OrtDeviceAllocator = 0, OrtMemTypeDefault = 0: plain CPU memory owned by the caller.
            memoryInfo = try api.make("CreateCpuMemoryInfo") { api.createCpuMemoryInfo(0, 0, $0) }
        } catch {
            api.releaseSession(handle)
            throw error
        }
        self.handle = handle
    }

    deinit {
        api.releaseMemoryInfo(memoryInfo)
        api.releaseSession(handle)
    }

    /// Runs the model.
    ///
    /// - Parameters:
    ///   - feeds: one tensor per input name. Every input the model declares must be given,
    ///     with the declared element type and rank.
    ///   - outputs: the outputs to compute, by name; `nil` means all of them.
    /// - Returns: the outputs, in the order asked for.
    /// - Throws: ``ORTError`` naming the input or output at fault, or ONNX Runtime's own error.
    public func run(_ feeds: [String: ORTTensor], outputs requested: [String]? = nil) throws(ORTError) -> [ORTValue] {
        let ordered = try validate(feeds)
        let outputNames = requested ?? outputs.map(\.name)
        for name in outputNames where !outputs.contains(where: { $0.name == name }) {
            throw ORTError(
                .invalidArgument,
                "the model has no output named '\(name)'; its outputs are \(outputs.map(\.name).joined(separator: ", "))")
        }
        var created: [OpaquePointer?] = []
        defer { created.forEach { api.releaseValue($0) } }
        var results = [OpaquePointer?](repeating: nil, count: outputNames.count)
        try withInputValues(ordered[...], &created) { (values: [OpaquePointer?]) throws(ORTError) in
            try withCStrings(ordered.map(\.name)) { (inputNames) throws(ORTError) in
                try withCStrings(outputNames) { (outputNamePointers) throws(ORTError) in
                    try api.check(
                        api.run(
                            handle, nil, inputNames, values, values.count,
                            outputNamePointers, outputNamePointers.count, &results),
                        "running the model")
                }
            }
        }
        var values: [ORTValue] = []
        var failure: ORTError?
        for (name, result) in zip(outputNames, results) {
            guard let result else { continue }
            do {
                // Once wrapped, each value releases itself.
                values.append(try ORTValue(handle: result, name: name, session: self))
            } catch {
                failure = failure ?? error
            }
        }
        if let failure { throw failure }
        guard values.count == outputNames.count else {
            throw ORTError(.runtime(.fail), "running the model returned \(values.count) of \(outputNames.count) outputs")
        }
        return values
    }

    /// Checks names, element types and ranks against the model's declared inputs and
    /// returns the feeds in the model's input order.
    private func validate(_ feeds: [String: ORTTensor]) throws(ORTError) -> [(name: String, tensor: ORTTensor)] {
        let declared = inputs.map(\.name).joined(separator: ", ")
        for name in feeds.keys.sorted() where !inputs.contains(where: { $0.name == name }) {
            throw ORTError(.invalidArgument, "the model has no input named '\(name)'; its inputs are \(declared)")
        }
        var ordered: [(name: String, tensor: ORTTensor)] = []
        for input in inputs {
            guard let tensor = feeds[input.name] else {
                throw ORTError(.invalidArgument, "missing input '\(input.name)': the model declares inputs \(declared)")
            }
            guard tensor.elementType == input.elementType else {
                throw ORTError(
                    .invalidArgument,
                    "input '\(input.name)' expects \(input.elementType) values, got \(tensor.elementType)")
            }
            guard tensor.shape.count == input.shape.count,
                zip(tensor.shape, input.shape).allSatisfy({ given, declared in declared < 0 || given == declared })
            else {
                throw ORTError(.invalidArgument, "input '\(input.name)' has shape \(tensor.shape), the model declares \(input)")
            }
            guard tensor.storage.count > 0 else {
                throw ORTError(.invalidArgument, "input '\(input.name)' is empty (shape \(tensor.shape))")
            }
            ordered.append((input.name, tensor))
        }
        return ordered
    }

    /// Creates one `OrtValue` over each tensor's own storage (no copy), then calls `body`
    /// while all the storages are pinned.
    private func withInputValues(
        _ tensors: ArraySlice<(name: String, tensor: ORTTensor)>, _ created: inout [OpaquePointer?],
        _ body: ([OpaquePointer?]) throws(ORTError) -> Void
    ) throws(ORTError) {
        guard let (name, tensor) = tensors.first else {
            try body(created)
            return
        }
        try tensor.storage.withBytes { (bytes) throws(ORTError) in
            let shape = tensor.shape.map { Int64($0) }
            let value = try shape.withUnsafeBufferPointer { (dims) throws(ORTError) -> OpaquePointer in
                try api.make("creating the tensor for input '\(name)'") { out in
                    api.createTensorWithDataAsOrtValue(
                        memoryInfo, UnsafeMutableRawPointer(mutating: bytes.baseAddress!), bytes.count,
                        dims.baseAddress!, dims.count, tensor.elementType.rawValue, out)
                }
            }
            created.append(value)
            try withInputValues(tensors.dropFirst(), &created, body)
        }
    }

    enum Side { case input, output }

    private static func readInfos(
        api: ORTAPI, session: OpaquePointer, allocator: OpaquePointer, side: Side
    ) throws(ORTError) -> [ORTTensorInfo] {
        var count = 0
        switch side {
        case .input: try api.check(api.sessionGetInputCount(session, &count), "SessionGetInputCount")
        case .output: try api.check(api.sessionGetOutputCount(session, &count), "SessionGetOutputCount")
        }
        var infos: [ORTTensorInfo] = []
        for index in 0..<count {
            var rawName: UnsafeMutablePointer<CChar>?
            let typeInfo: OpaquePointer
            switch side {
            case .input:
                try api.check(api.sessionGetInputName(session, index, allocator, &rawName), "SessionGetInputName(\(index))")
                typeInfo = try api.make("SessionGetInputTypeInfo(\(index))") {
                    api.sessionGetInputTypeInfo(session, index, $0)
                }
            case .output:
                try api.check(api.sessionGetOutputName(session, index, allocator, &rawName), "SessionGetOutputName(\(index))")
                typeInfo = try api.make("SessionGetOutputTypeInfo(\(index))") {
                    api.sessionGetOutputTypeInfo(session, index, $0)
                }
            }
            defer { api.releaseTypeInfo(typeInfo) }
            let name = api.takeString(rawName, allocator: allocator) ?? "#\(index)"
            infos.append(try describe(api: api, typeInfo: typeInfo, name: name))
        }
        return infos
    }

    private static func describe(api: ORTAPI, typeInfo: OpaquePointer, name: String) throws(ORTError) -> ORTTensorInfo {
        var rawKind: Int32 = 0
        try api.check(api.getOnnxTypeFromTypeInfo(typeInfo, &rawKind), "GetOnnxTypeFromTypeInfo(\(name))")
        let kind = ORTValueKind(rawValue: rawKind) ?? .unknown
        var tensorInfo: OpaquePointer?
        try api.check(api.castTypeInfoToTensorInfo(typeInfo, &tensorInfo), "CastTypeInfoToTensorInfo(\(name))")
        guard kind == .tensor, let tensorInfo else {
            return ORTTensorInfo(name: name, kind: kind, elementType: .undefined, shape: [], symbolicShape: [])
        }
        // `tensorInfo` belongs to `typeInfo`; it is not released separately.
        let (elementType, shape, symbols) = try readTensorInfo(api: api, tensorInfo, name: name)
        return ORTTensorInfo(name: name, kind: kind, elementType: elementType, shape: shape, symbolicShape: symbols)
    }

    func readTensorInfo(_ info: OpaquePointer, name: String) throws(ORTError) -> (ORTElementType, [Int], [String]) {
        try Self.readTensorInfo(api: api, info, name: name)
    }

    private static func readTensorInfo(
        api: ORTAPI, _ info: OpaquePointer, name: String
    ) throws(ORTError) -> (ORTElementType, [Int], [String]) {
        var rawType: Int32 = 0
        try api.check(api.getTensorElementType(info, &rawType), "GetTensorElementType(\(name))")
        var rank = 0
        try api.check(api.getDimensionsCount(info, &rank), "GetDimensionsCount(\(name))")
        var dims = [Int64](repeating: 0, count: rank)
        var symbols = [UnsafePointer<CChar>?](repeating: nil, count: rank)
        if rank > 0 {
            try api.check(api.getDimensions(info, &dims, rank), "GetDimensions(\(name))")
            try api.check(api.getSymbolicDimensions(info, &symbols, rank), "GetSymbolicDimensions(\(name))")
        }
        return (
            ORTElementType(raw: rawType),
            dims.map { Int($0) },
            symbols.map { $0.map { String(cString: $0) } ?? "" }
        )
    }
}

/// Calls `body` with C strings for `strings`, valid only inside `body`.
private func withCStrings<R>(
    _ strings: [String], _ body: ([UnsafePointer<CChar>?]) throws(ORTError) -> R
) throws(ORTError) -> R {
    let duplicates = strings.map { strdup($0) }
    defer { duplicates.forEach { free($0) } }
    return try body(duplicates.map { UnsafePointer($0) })
}
