import EmbedCore
import EmbedOpenVINO
import EmbedORT

/// One ONNX file of a CLIP model and the towers it runs, decided from what it declares (never
/// from its name): `input_ids` (with `attention_mask` when declared) and a `text_embeds`
/// output make a text tower; `pixel_values` and an `image_embeds` output make a vision
/// tower; a file with both (transformers' `CLIPModel` export) runs both.
struct CLIPGraph: Sendable {
    /// A text input it declares and the integer type it takes.
    struct TextInput: Sendable {
        var name: String
        var type: ORTElementType
    }

    /// What runs the file: an ONNX Runtime session or an OpenVINO compiled model.
    enum Runner: Sendable {
        case onnx(ORTSession)
        case openVINO(OpenVINORequests)
    }

    let runner: Runner
    /// The inputs and outputs the file declares.
    let inputs: [ORTTensorInfo]
    let outputs: [ORTTensorInfo]
    /// The file, relative to the model folder, for messages.
    let file: String
    let textInputs: [TextInput]
    /// `pixel_values`' declared shape, `[batch, 3, height, width]` (-1: dynamic), when declared.
    let pixelShape: [Int]?
    let textOutput: String?
    let imageOutput: String?

    var towers: Set<Tower> {
        var towers: Set<Tower> = []
        if textOutput != nil { towers.insert(.text) }
        if imageOutput != nil { towers.insert(.vision) }
        return towers
    }

    /// `family` says which outputs are pooled vectors (``VisionLanguageFamily/textOutputs``).
    init(session: ORTSession, file: String, family: VisionLanguageFamily = .clip) throws(EmbedError) {
        try self.init(runner: .onnx(session), inputs: session.inputs, outputs: session.outputs, file: file, family: family)
    }

    /// `inputs` and `outputs` as the runner declares them (OpenVINO's ports described as
    /// ONNX Runtime describes tensors).
    init(
        runner: Runner, inputs: [ORTTensorInfo], outputs: [ORTTensorInfo], file: String, family: VisionLanguageFamily = .clip
    ) throws(EmbedError) {
        self.runner = runner
        self.inputs = inputs
        self.outputs = outputs
        self.file = file
        var textInputs: [TextInput] = []
        var pixelShape: [Int]?
        for input in inputs {
            switch input.name {
            case ModelBatch.inputIds, ModelBatch.attentionMask:
                guard input.kind == .tensor, input.elementType == .int64 || input.elementType == .int32, input.shape.count == 2
                else {
                    throw EmbedError(.invalidModel, "\(file): input \(input) must be int64 or int32 [batch, sequence]")
                }
                textInputs.append(TextInput(name: input.name, type: input.elementType))
            case ModelBatch.pixelValues:
                guard input.kind == .tensor, input.elementType == .float, input.shape.count == 4 else {
                    throw EmbedError(.invalidModel, "\(file): input \(input) must be float [batch, 3, height, width]")
                }
                pixelShape = input.shape
            default:
                throw EmbedError(
                    .invalidModel,
                    "\(file) has an input this engine cannot feed to a CLIP model: \(input) (it feeds input_ids, attention_mask, pixel_values)")
            }
        }
        guard textInputs.isEmpty || textInputs.contains(where: { $0.name == ModelBatch.inputIds }) else {
            throw EmbedError(.invalidModel, "\(file) takes attention_mask but no input_ids")
        }
        let declaredOutputs = outputs
        let outputs = outputs.map(\.description).joined(separator: ", ")
        func pooled(_ names: [String]) -> String? {
            names.lazy.compactMap { name in
                declaredOutputs.first { $0.name == name && $0.kind == .tensor && $0.elementType == .float && $0.shape.count == 2 }?.name
            }.first
        }
        let textOutput = textInputs.isEmpty ? nil : pooled(family.textOutputs)
        let imageOutput = pixelShape == nil ? nil : pooled(family.imageOutputs)
        if !textInputs.isEmpty, textOutput == nil {
            throw EmbedError(
                .invalidModel,
                "\(file) takes input_ids but has no \(family.textOutputs.joined(separator: " or ")) output float [batch, dim]; it has \(outputs)")
        }
        if pixelShape != nil, imageOutput == nil {
            throw EmbedError(
                .invalidModel,
                "\(file) takes pixel_values but has no \(family.imageOutputs.joined(separator: " or ")) output float [batch, dim]; it has \(outputs)")
        }
        guard !textInputs.isEmpty || pixelShape != nil else {
            throw EmbedError(.invalidModel, "\(file) takes neither input_ids nor pixel_values: it is not a \(family.displayName) tower")
        }
        self.textInputs = textInputs
        self.pixelShape = pixelShape
        self.textOutput = textOutput
        self.imageOutput = imageOutput
    }

    /// The output's last dimension when the file fixes it.
    func dimension(of output: String) -> Int? {
        outputs.first { $0.name == output }?.shape.last.flatMap { $0 > 0 ? $0 : nil }
    }
}

/// Runs a CLIP model's towers on ONNX Runtime: one graph per tower, or one graph for both.
/// A batch of one tower feeds that tower's inputs and asks for its output only.
///
/// ONNX Runtime needs every declared input of a graph fed, and it runs the whole graph
/// whatever output is asked for (measured on the tiny joint `model.onnx`: a text batch of 8
/// took 5.8 ms with one dummy image, 33 ms with 256). So a joint graph gets the smallest
/// dummy batch of the other tower (one black image, or one token), which costs one extra
/// row of the other tower per run: the split `text_model.onnx` / `vision_model.onnx` files
/// are preferred when a folder has them.
struct CLIPBackend: EmbeddingBackend {
    let text: CLIPGraph?
    let vision: CLIPGraph?
    /// The shape of one image, `[3, height, width]` (the vision tower's): a joint graph's
    /// dummy image for a text batch.
    let pixelRow: [Int]
    let engineName: String

    var towers: Set<Tower> {
        var towers: Set<Tower> = []
        if text != nil { towers.insert(.text) }
        if vision != nil { towers.insert(.vision) }
        return towers
    }

    func run(_ batch: ModelBatch) throws(EmbedError) -> BackendOutput {
        let (graph, output): (CLIPGraph?, String?) =
            switch batch.tower {
            case .text: (text, text?.textOutput)
            case .vision: (vision, vision?.imageOutput)
            }
        guard let graph, let output else { throw EmbedError(.runtime, "\(engineName) does not run the \(batch.tower) tower") }
        do {
            let feeds = try self.feeds(batch, graph: graph)
            switch graph.runner {
            case .onnx(let session):
                guard let value = try session.run(feeds.mapValues { try $0.ort() }, outputs: [output]).first else {
                    throw EmbedError(.runtime, "\(graph.file) returned no output")
                }
                let start = ContinuousClock.now
                let vectors = try PooledOutput.vectors(value, batch: batch, pooling: nil)
                return BackendOutput(vectors: vectors, poolingSeconds: start.duration(to: .now).inSeconds)
            case .openVINO(let requests):
                return try requests.run(feeds, output: output, batch: batch, file: graph.file)
            }
        } catch let error as OVError {
            throw EmbedError(
                .runtime, "running \(graph.file) on OpenVINO, a \(batch.tower) batch of \(batch.rows): \(error)", underlying: error)
        } catch let error as ORTError {
            throw EmbedError(
                .runtime, "running \(graph.file) on a \(batch.tower) batch of \(batch.rows): \(error)", underlying: error)
        } catch let error as EmbedError {
            throw error
        } catch {
            throw EmbedError(.runtime, "running \(graph.file): \(error)")
        }
    }

    /// The batch's tensors the graph declares, and a dummy batch of one row for the other
    /// tower's inputs of a joint graph.
    private func feeds(_ batch: ModelBatch, graph: CLIPGraph) throws(EmbedError) -> [String: CLIPFeed] {
        var feeds: [String: CLIPFeed] = [:]
        let textShape = batch.tower == .text ? [batch.rows, batch.length] : [1, 1]
        for input in graph.textInputs {
            let values: [Int64]
            if batch.tower == .text {
                guard let given = batch[input.name]?.int64s, given.count == batch.rows * batch.length else {
                    throw EmbedError(.runtime, "the batch has no int64 \(input.name) of \(batch.rows)×\(batch.length)")
                }
                values = given
            } else {
                values = [input.name == ModelBatch.attentionMask ? 1 : 0]
            }
            feeds[input.name] = .integers(values, input.type, shape: textShape)
        }
        if graph.pixelShape != nil {
            if batch.tower == .vision {
                guard let tensor = batch[ModelBatch.pixelValues], let values = tensor.floats else {
                    throw EmbedError(.runtime, "the batch has no float32 pixel_values")
                }
                feeds[ModelBatch.pixelValues] = .floats(values, shape: tensor.shape)
            } else {
                feeds[ModelBatch.pixelValues] = .floats(
                    [Float](repeating: 0, count: pixelRow.reduce(1, *)), shape: [1] + pixelRow)
            }
        }
        return feeds
    }
}
