/// A model's metadata: the standard fields and the custom key/value map
/// (`metadata_props` in the ONNX file).
public struct ORTModelMetadata: Sendable, Equatable {
    /// The tool that produced the model (`pytorch`, `onnx.quantize`, …).
    public var producerName: String
    /// The graph's name.
    public var graphName: String
    /// The model's domain.
    public var domain: String
    /// The model's description (doc string).
    public var description: String
    /// The model version.
    public var version: Int64
    /// Custom metadata entries.
    public var custom: [String: String]

    /// Creates metadata.
    public init(
        producerName: String = "", graphName: String = "", domain: String = "", description: String = "",
        version: Int64 = 0, custom: [String: String] = [:]
    ) {
        self.producerName = producerName
        self.graphName = graphName
        self.domain = domain
        self.description = description
        self.version = version
        self.custom = custom
    }

    init(api: ORTAPI, session: OpaquePointer, allocator: OpaquePointer) throws(ORTError) {
        let metadata = try api.make("SessionGetModelMetadata") { api.sessionGetModelMetadata(session, $0) }
        defer { api.releaseModelMetadata(metadata) }

        func string(
            _ function: @convention(c) (OpaquePointer, OpaquePointer, ORTAPI.OutCString) -> ORTAPI.Status, _ what: String
        ) throws(ORTError) -> String {
            var raw: UnsafeMutablePointer<CChar>?
            try api.check(function(metadata, allocator, &raw), what)
            return api.takeString(raw, allocator: allocator) ?? ""
        }
        producerName = try string(api.modelMetadataGetProducerName, "ModelMetadataGetProducerName")
        graphName = try string(api.modelMetadataGetGraphName, "ModelMetadataGetGraphName")
        domain = try string(api.modelMetadataGetDomain, "ModelMetadataGetDomain")
        description = try string(api.modelMetadataGetDescription, "ModelMetadataGetDescription")
        var version: Int64 = 0
        try api.check(api.modelMetadataGetVersion(metadata, &version), "ModelMetadataGetVersion")
        self.version = version

        var keys: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
        var count: Int64 = 0
        try api.check(
            api.modelMetadataGetCustomMetadataMapKeys(metadata, allocator, &keys, &count),
            "ModelMetadataGetCustomMetadataMapKeys")
        var names: [String] = []
        if let keys {
            names = (0..<Int(count)).compactMap { api.takeString(keys[$0], allocator: allocator) }
            try api.check(api.allocatorFree(allocator, keys), "AllocatorFree")
        }
        var custom: [String: String] = [:]
        for key in names {
            var raw: UnsafeMutablePointer<CChar>?
            try api.check(
                api.modelMetadataLookupCustomMetadataMap(metadata, allocator, key, &raw),
                "ModelMetadataLookupCustomMetadataMap(\(key))")
            custom[key] = api.takeString(raw, allocator: allocator)
        }
        self.custom = custom
    }
}
