/// Typed reads of the values of a `preprocessor_config.json` object, each error naming its key.
struct ConfigurationReader {
    let object: KeyedDecodingContainer<ConfigurationKey>

    private static let clipTypes: Set<String> = [
        "CLIPImageProcessor", "CLIPImageProcessorFast", "CLIPImageProcessorPil", "CLIPFeatureExtractor", "CLIPProcessor",
    ]
    private static let siglipTypes: Set<String> = [
        "SiglipImageProcessor", "SiglipImageProcessorFast", "SiglipImageProcessorPil", "SiglipProcessor",
    ]

    func family() throws -> ImageProcessorConfiguration.Family {
        for key in ["image_processor_type", "feature_extractor_type", "processor_class"] {
            guard let name = try string(key) else { continue }
            if Self.clipTypes.contains(name) { return .clip }
            if Self.siglipTypes.contains(name) { return .siglip }
            throw VisionError(.unsupported, "\(key) \"\(name)\" is not a CLIP or SigLIP image processor")
        }
        return .clip
    }

    func string(_ key: String) throws -> String? {
        try read(key) { try object.decodeIfPresent(String.self, forKey: $0) }
    }

    func bool(_ key: String) throws -> Bool? {
        try read(key) { try object.decodeIfPresent(Bool.self, forKey: $0) }
    }

    func number(_ key: String) throws -> Double? {
        try read(key) { try object.decodeIfPresent(Double.self, forKey: $0) }
    }

    /// One number for every channel, or a list of them.
    func channels(_ key: String) throws -> [Double]? {
        if let single = try? object.decodeIfPresent(Double.self, forKey: ConfigurationKey(key)) {
            return [single, single, single]
        }
        return try read(key) { try object.decodeIfPresent([Double].self, forKey: $0) }
    }

    func filter(_ key: String) throws -> ResamplingFilter? {
        guard let value = try read(key, { try object.decodeIfPresent(Int.self, forKey: $0) }) else { return nil }
        guard let filter = ResamplingFilter(rawValue: value) else {
            throw VisionError(
                .unsupported,
                "\(key) \(value) (\(ResamplingFilter.pillowName(value))) is not implemented; 1 LANCZOS, 2 BILINEAR, "
                    + "3 BICUBIC, 4 BOX and 5 HAMMING are")
        }
        return filter
    }

    /// An integer (a square, or a shortest edge), `{"shortest_edge": n}`, `{"height": h,
    /// "width": w}` or `[h, w]`.
    func size(_ key: String, squareDefault: Bool) throws -> ImageSize? {
        let codingKey = ConfigurationKey(key)
        guard object.contains(codingKey), try !object.decodeNil(forKey: codingKey) else { return nil }
        if let edge = try? object.decode(Int.self, forKey: codingKey) {
            return squareDefault ? .fixed(height: edge, width: edge) : .shortestEdge(edge)
        }
        if let pair = try? object.decode([Int].self, forKey: codingKey) {
            guard pair.count == 2 else { throw VisionError(.invalidValue, "\(key) must have 2 values, has \(pair.count)") }
            return .fixed(height: pair[0], width: pair[1])
        }
        let fields = try read(key) { try object.decode([String: Int?].self, forKey: $0) }
        let present = (fields ?? [:]).compactMapValues { $0 }
        if let unknown = Set(present.keys).subtracting(["shortest_edge", "height", "width"]).sorted().first {
            throw VisionError(.unsupported, "\(key).\(unknown) is not implemented")
        }
        if let height = present["height"], let width = present["width"], present["shortest_edge"] == nil {
            return .fixed(height: height, width: width)
        }
        if let edge = present["shortest_edge"], present["height"] == nil, present["width"] == nil {
            return .shortestEdge(edge)
        }
        throw VisionError(.invalidValue, "\(key) must have shortest_edge, or height and width: \(present)")
    }

    private func read<T>(_ key: String, _ body: (ConfigurationKey) throws -> T?) throws -> T? {
        do {
            return try body(ConfigurationKey(key))
        } catch {
            throw VisionError(.invalidJSON, "\(key): \(error)")
        }
    }
}
