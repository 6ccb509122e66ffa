import EmbedCore
import EmbedORT
import EmbedTokenizers
import EmbedVision
import Foundation
import Logging

extension ModelLoader {
    /// Loads a CLIP folder in any of its layouts: one joint `model.onnx`, split
    /// `text_model.onnx` + `vision_model.onnx` (or their `_quantized` twins), or a single
    /// tower. Each file's towers come from its inputs and outputs; the folder's other files
    /// must back them (a text tower needs `tokenizer.json`, a vision tower
    /// `preprocessor_config.json`). Runs on ONNX Runtime, or on OpenVINO with
    /// `runtime: openvino` (see ``openCLIPGraphs(_:files:family:configuration:logger:)``). SigLIP
    /// folders load here too; what differs is in ``VisionLanguageFamily`` and
    /// ``familyTextTower(_:tokenizer:)``.
    static func loadCLIP(_ root: URL, configuration: EmbedderConfiguration, logger: Logger) throws(EmbedError) -> EmbeddingModel {
        let files = try CLIPFiles.load(root, onnxFile: configuration.onnxFile, variant: configuration.variant)
        if let pooling = configuration.pooling {
            throw EmbedError(
                .invalidConfiguration,
                "\(files.family.displayName) towers pool inside their graphs (the end-of-text token, the class token); pooling \(pooling) cannot be applied")
        }
        let (graphs, fallbacks) = try openCLIPGraphs(
            root, files: files.onnx, family: files.family, configuration: configuration, logger: logger)
        let text = try only(.text, in: graphs.map(\.graph))
        let vision = try only(.vision, in: graphs.map(\.graph))

        var textTower: TextTower?
        if let text {
            guard let url = files.tokenizerURL else {
                throw EmbedError(.invalidModel, "\(text.file) runs the text tower, but \(root.path) has no tokenizer.json")
            }
            textTower = try familyTextTower(files, tokenizer: try TokenizerLoad(url).value())
        }
        var visionTower: VisionTower?
        if let vision { visionTower = try makeVisionTower(files, graph: vision, configuration: configuration) }
        var engines: [String] = []
        for name in graphs.map(\.engineName) where !engines.contains(name) { engines.append(name) }
        let engine = engines.joined(separator: " + ")
        logger.info("CLIP towers", metadata: ["engine": "\(engine)", "files": "\(files.onnx.joined(separator: ", "))"])
        let backend = CLIPBackend(text: text, vision: vision, pixelRow: visionTower?.rowShape ?? [], engineName: engine)

        let projection = files.configuration.projectionDim
        let declared = [text.flatMap { $0.textOutput.flatMap($0.dimension(of:)) }, vision.flatMap { $0.imageOutput.flatMap($0.dimension(of:)) }]
            .compactMap { $0 }
        if let bad = declared.first(where: { $0 != (projection ?? declared[0]) }) {
            throw EmbedError(
                .invalidModel,
                "the towers' outputs give vectors of \(declared.map(String.init).joined(separator: " and ")) values"
                    + (projection.map { ", config.json projection_dim is \($0)" } ?? "") + " (\(bad) differs)")
        }
        let expected = projection ?? declared.first
        let normalize = configuration.normalize ?? true
        let first = graphs[0]
        let quantization = Self.quantization(of: root.appendingPathComponent(first.graph.file), root: root)
        let firstURL = root.appendingPathComponent(first.graph.file)
        let runtime = first.details(
            url: firstURL, size: Self.fileSize(firstURL), tokenizerPath: files.tokenizerURL?.path ?? "", quantization: quantization,
            threads: configuration.session.intraOpThreads)
        var info = ModelInfo(
            name: files.name, path: root.path, dimension: expected ?? 1,
            maxLength: try clipMaxLength(files, hasText: text != nil, configuration: configuration), pooling: nil,
            normalize: normalize,
            normalizeSource: configuration.normalize == nil
                ? "\(files.family.displayName): vectors are compared by cosine (default)" : "configuration",
            engine: engine, runtime: runtime, fallbacks: fallbacks)
        info.towers = towerFiles(graphs.map(\.graph), root: root)
        info.family = files.family.rawValue
        var model = EmbeddingModel(info: info, backend: backend, text: textTower, vision: visionTower)
        if configuration.checkOnLoad || expected == nil {
            model.info.dimension = try checkCLIP(model, expected: expected)
        }
        return model
    }

    /// The one graph that runs `tower`, or `nil`; two are an error.
    private static func only(_ tower: Tower, in graphs: [CLIPGraph]) throws(EmbedError) -> CLIPGraph? {
        let running = graphs.filter { $0.towers.contains(tower) }
        guard running.count <= 1 else {
            throw EmbedError(
                .invalidConfiguration,
                "\(running.map(\.file).joined(separator: " and ")) both run the \(tower) tower: name one with onnx.model_path (--onnx-file)")
        }
        return running.first
    }

    private static func makeVisionTower(
        _ files: CLIPFiles, graph: CLIPGraph, configuration: EmbedderConfiguration
    ) throws(EmbedError) -> VisionTower {
        guard let url = files.preprocessorURL else {
            throw EmbedError(.invalidModel, "\(graph.file) runs the vision tower, but \(files.root.path) has no preprocessor_config.json")
        }
        let preprocessor: ImagePreprocessor
        do throws(VisionError) {
            preprocessor = try ImagePreprocessor(configuration: .load(json: try readBytes(url)))
        } catch {
            throw EmbedError(.invalidModel, "cannot use \(url.path): \(error.message)", underlying: error)
        }
        let tower = try VisionTower(preprocessor: preprocessor, images: configuration.images)
        if let declared = graph.pixelShape,
            zip(declared.dropFirst(), tower.rowShape).contains(where: { $0 > 0 && $0 != $1 })
        {
            throw EmbedError(
                .invalidModel,
                "\(graph.file) takes pixel_values \(declared), but preprocessor_config.json makes images of \(tower.rowShape)")
        }
        return tower
    }

    private static func readBytes(_ url: URL) throws(VisionError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw VisionError(.invalidJSON, "cannot read \(url.path)")
        }
        return [UInt8](data)
    }

    /// A text tower's maximum length: the configuration's (at most the positions), else the
    /// smaller of `tokenizer_config.json` `model_max_length` and `text_config`'s positions
    /// (77 for every CLIP). Truncation keeps the end-of-text token, where the graph pools.
    private static func clipMaxLength(
        _ files: CLIPFiles, hasText: Bool, configuration: EmbedderConfiguration
    ) throws(EmbedError) -> MaxLength {
        guard hasText else { return MaxLength(value: 1, source: "no text tower") }
        let positions = files.configuration.textConfig?.maxPositionEmbeddings
        if let value = configuration.maxLength {
            if let positions, value > positions {
                throw EmbedError(
                    .invalidConfiguration,
                    "maximum length \(value) is larger than the text tower's \(positions) positions (config.json text_config)")
            }
            return MaxLength(value: value, source: "configuration")
        }
        let fromTokenizer = files.tokenizerConfiguration?.modelMaxLength.flatMap { $0 >= 1 && $0 < 1e9 ? Int($0) : nil }
        switch (fromTokenizer, positions) {
        case (let t?, let p?) where t <= p: return MaxLength(value: t, source: "tokenizer_config.json model_max_length")
        case (_, let p?): return MaxLength(value: p, source: "config.json text_config.max_position_embeddings")
        case (let t?, nil): return MaxLength(value: t, source: "tokenizer_config.json model_max_length")
        case (nil, nil):
            throw EmbedError(
                .invalidModel,
                "config.json has no text_config.max_position_embeddings and no tokenizer_config.json model_max_length")
        }
    }

    private static func towerFiles(_ graphs: [CLIPGraph], root: URL) -> [TowerFile] {
        graphs.flatMap { graph in
            let url = root.appendingPathComponent(graph.file)
            let quantized = quantization(of: url, root: nil).isQuantized
            return Tower.allCases.compactMap { tower -> TowerFile? in
                guard graph.towers.contains(tower) else { return nil }
                let inputs = tower == .text ? graph.textInputs.map(\.name) : [ModelBatch.pixelValues]
                let output = (tower == .text ? graph.textOutput : graph.imageOutput) ?? ""
                return TowerFile(
                    tower: tower, path: url.path, inputs: inputs, output: output, quantized: quantized,
                    isJoint: graph.towers.count > 1)
            }
        }
    }

    /// Runs one text and one image (each tower the model has): the vector size is learned or
    /// checked, the values must be finite. Returns the size.
    private static func checkCLIP(_ model: EmbeddingModel, expected: Int?) throws(EmbedError) -> Int {
        let plan = RequestPlan(options: .init(), prompt: nil, normalize: false)
        var size = expected
        for tower in Tower.allCases where model.towers.contains(tower) {
            let input: EmbeddingInput = tower == .text ? .text("swift-embed checks that the model runs.") : .image(VisionTower.probeImage)
            let row = try model.prepare(input, index: 0, plan: plan, maxLength: model.info.maxLength.value)
            guard let vector = try model.backend.run(try model.collate([row], tower: tower)).vectors.first, !vector.isEmpty else {
                throw EmbedError(.invalidModel, "the \(tower) tower returned an empty vector")
            }
            if let size, vector.count != size {
                throw EmbedError(.invalidModel, "the \(tower) tower returned \(vector.count) values, expected \(size)")
            }
            guard vector.allSatisfy(\.isFinite) else {
                throw EmbedError(.invalidModel, "the \(tower) tower produced non-finite values on a test input")
            }
            size = vector.count
        }
        return size ?? 1
    }

    private static func fileSize(_ url: URL) -> Int64 {
        (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.int64Value ?? 0
    }
}
