// Single-image latency of the CLIP vision tower through the engine, against the bare parts.
//
//   clip-latency --model DIR --images LIST [--onnx-file onnx/vision_model.onnx] [--runs 200]
//       [--threads 2] [--batch 32]
//
// In one process, in alternation (the order swapped every other image): `Embedder.embed` of
// one image (the engine: its decode and preprocessing on its own threads, batching, the model,
// the copy out, normalisation) and the bare parts: ImageDecoder.decode + ImagePreprocessor on
// this thread, then `ORTSession.run` on the same ONNX file with intra-op --threads, inter-op 1,
// sequential (as `embed encode --threads T --workers 1` opens it). Printed: the p50 (and p90)
// of each, the engine's p50 over p50(decode+preprocess) + p50(session.run), and the median of
// the per-image ratios. Then decode + preprocess of every listed image once, as a share of the
// bare model time per image at batch 1 and at --batch (the median of 3 runs on the first
// --batch images). The images of LIST (one path a line) are cycled through for --runs.

import EmbedCore
import EmbedEngine
import EmbedImaging
import EmbedORT
import EmbedVision
import Foundation
import Logging

struct Arguments {
    var model = ""
    var images = ""
    var onnxFile = "onnx/vision_model.onnx"
    var runs = 200
    var threads = 2
    var batch = 32

    init(_ arguments: [String]) throws {
        var rest = arguments.dropFirst()
        while let name = rest.popFirst() {
            guard let value = rest.popFirst() else { throw BenchError("\(name) needs a value") }
            switch name {
            case "--model": model = value
            case "--images": images = value
            case "--onnx-file": onnxFile = value
            case "--runs": runs = Int(value) ?? runs
            case "--threads": threads = Int(value) ?? threads
            case "--batch": batch = Int(value) ?? batch
            default: throw BenchError("unknown option \(name)")
            }
        }
        guard !model.isEmpty, !images.isEmpty, runs >= 1, threads >= 1, batch >= 1 else {
            throw BenchError("usage: clip-latency --model DIR --images LIST [--runs N] [--threads T] [--batch B]")
        }
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

func percentile(_ values: [Double], _ fraction: Double) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
}

/// The bare pipeline: decode + preprocess as the engine configures them, then session.run.
struct Bare {
    let session: ORTSession
    let preprocessor: ImagePreprocessor
    let decoding: ImageDecodingConfiguration
    let shape: [Int]

    func prepare(_ bytes: [UInt8]) throws -> [Float] {
        try preprocessor.pixelValues(ImageDecoder.decode(bytes, configuration: decoding)).values
    }

    func run(_ pixels: [Float], rows: Int) throws {
        _ = try session.run(["pixel_values": .float(pixels, shape: [rows] + shape)], outputs: ["image_embeds"])
    }
}

let clock = ContinuousClock()
var logger = Logger(label: "clip-latency")
logger.logLevel = .warning
do {
    let arguments = try Arguments(CommandLine.arguments)
    let root = URL(fileURLWithPath: arguments.model)
    let paths = try String(contentsOfFile: arguments.images, encoding: .utf8).split(separator: "\n").map(String.init)
    let images = try paths.map { [UInt8](try Data(contentsOf: URL(fileURLWithPath: $0))) }
    guard !images.isEmpty else { throw BenchError("\(arguments.images) lists no images") }

    let session = ORTSessionOptions(intraOpThreads: arguments.threads, interOpThreads: 1)
    let configuration = EmbedderConfiguration(
        batching: BatchingConfiguration(workers: 1), onnxFile: arguments.onnxFile, session: session)
    let embedder = try await Embedder(.folder(root), configuration: configuration, logger: logger)

    let library = try ORTLibrary.load()
    let environment = try ORTEnvironment.shared(library: library, logger: logger)
    let preprocessorJSON = [UInt8](try Data(contentsOf: root.appendingPathComponent("preprocessor_config.json")))
    let preprocessor = try ImagePreprocessor(configuration: ImageProcessorConfiguration.load(json: preprocessorJSON))
    var decoding = ImageDecodingConfiguration()
    decoding.transparency = .compositeOverWhite
    let crop = preprocessor.configuration.cropSize
    let bare = Bare(
        session: try ORTSession(
            path: root.appendingPathComponent(arguments.onnxFile).path, options: session, environment: environment),
        preprocessor: preprocessor, decoding: decoding, shape: [3, crop.height, crop.width])
    print("\(embedder.info.engine); \(images.count) images, \(arguments.runs) runs, threads \(arguments.threads)")

    var engine: [Double] = [], prepare: [Double] = [], model: [Double] = [], ratios: [Double] = []
    for index in -3..<arguments.runs {  // three untimed warm-ups of each
        let bytes = images[(index + images.count) % images.count]
        var engineMs = 0.0, prepareMs = 0.0, modelMs = 0.0
        for step in index % 2 == 0 ? [0, 1] : [1, 0] {
            if step == 0 {
                let start = clock.now
                _ = try await embedder.embed([.image(Data(bytes))])
                engineMs = milliseconds(clock.now - start)
            } else {
                let start = clock.now
                let pixels = try bare.prepare(bytes)
                let prepared = clock.now
                try bare.run(pixels, rows: 1)
                prepareMs = milliseconds(prepared - start)
                modelMs = milliseconds(clock.now - prepared)
            }
        }
        guard index >= 0 else { continue }
        engine.append(engineMs)
        prepare.append(prepareMs)
        model.append(modelMs)
        ratios.append(engineMs / (prepareMs + modelMs))
    }
    let bareP50 = percentile(prepare, 0.5) + percentile(model, 0.5)
    print(
        String(
            format: "single image p50 (p90): engine %.2f ms (%.2f); bare decode+preprocess %.2f ms (%.2f), session.run %.2f ms (%.2f)",
            percentile(engine, 0.5), percentile(engine, 0.9), percentile(prepare, 0.5), percentile(prepare, 0.9),
            percentile(model, 0.5), percentile(model, 0.9)))
    print(
        String(
            format: "engine p50 / (decode+preprocess p50 + session.run p50) = %.3f×; median per-image ratio %.3f×",
            percentile(engine, 0.5) / bareP50, percentile(ratios, 0.5)))

    var prepareAll: [Double] = []
    var firstBatch: [Float] = []
    for (index, bytes) in images.enumerated() {
        let start = clock.now
        let pixels = try bare.prepare(bytes)
        prepareAll.append(milliseconds(clock.now - start))
        if index < arguments.batch { firstBatch += pixels }
    }
    let rows = min(arguments.batch, images.count)
    var batchTimes: [Double] = []
    for _ in 0..<3 {
        let start = clock.now
        try bare.run(firstBatch, rows: rows)
        batchTimes.append(milliseconds(clock.now - start) / Double(rows))
    }
    let meanPrepare = prepareAll.reduce(0, +) / Double(prepareAll.count)
    let perImage = percentile(batchTimes, 0.5)
    print(
        String(
            format: "decode+preprocess of the %d images, one thread: mean %.2f ms, p50 %.2f ms, total %.2f s",
            images.count, meanPrepare, percentile(prepareAll, 0.5), prepareAll.reduce(0, +) / 1000))
    print(
        String(
            format: "model per image: batch 1 p50 %.2f ms, batch %d %.2f ms; decode+preprocess mean as a share: %.1f%% (batch 1), %.1f%% (batch %d)",
            percentile(model, 0.5), rows, perImage, meanPrepare / percentile(model, 0.5) * 100, meanPrepare / perImage * 100, rows))
} catch {
    FileHandle.standardError.write(Data("clip-latency: \(error)\n".utf8))
    exit(1)
}
