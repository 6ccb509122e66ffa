import EmbedCore
import EmbedOpenVINO
import EmbedORT
import Foundation
import Logging

/// One CLIP file opened on a runtime: its graph, the engine that runs it, and what the
/// model's ``RuntimeDetails`` say when it is the first file.
struct CLIPOpenedGraph {
    var graph: CLIPGraph
    var handle: OpenedRuntime.Handle

    /// E.g. `onnxruntime 1.31.1 (CPUExecutionProvider)`, `openvino 2026.4.1 (CPU, bf16)`.
    var engineName: String { handle.engineName }

    func details(
        url: URL, size: Int64, tokenizerPath: String, quantization: QuantizationInfo, threads: Int
    ) -> RuntimeDetails {
        let outputName = [graph.textOutput, graph.imageOutput].compactMap { $0 }.joined(separator: ", ")
        var details = RuntimeDetails(
            onnxPath: url.path, onnxFileSize: size, tokenizerPath: tokenizerPath, inputs: [], outputs: graph.outputs,
            outputName: outputName, metadata: ORTModelMetadata(), quantization: quantization, runtimeVersion: "",
            runtimePath: "", executionProvider: "", availableProviders: [], intraOpThreads: threads, optimizedGraph: nil)
        if case .onnx(let opened, _) = handle {
            details.inputs = opened.session.inputs
        } else {
            details.inputs = graph.inputs
        }
        handle.describe(into: &details, threads: threads)
        return details
    }
}

extension ModelLoader {
    /// Opens each CLIP file on the configured runtime. With `runtime: openvino` a file is
    /// compiled by OpenVINO at the configured precision; a quantized (int8) file runs on ONNX
    /// Runtime (slower on OpenVINO, as for text models), and a file OpenVINO cannot compile
    /// falls back to ONNX Runtime when allowed: both logged and returned in `fallbacks`.
    static func openCLIPGraphs(
        _ root: URL, files: [String], family: VisionLanguageFamily, configuration: EmbedderConfiguration, logger: Logger
    ) throws(EmbedError) -> (graphs: [CLIPOpenedGraph], fallbacks: [String]) {
        var graphs: [CLIPOpenedGraph] = []
        var fallbacks: [String] = []
        var ort: (ORTLibrary, ORTEnvironment)?
        for file in files {
            let url = root.appendingPathComponent(file)
            if configuration.runtime == .openVINO {
                let found = quantization(of: url, root: nil)
                if found.isQuantized {
                    let reason = "\(file) is quantized; quantized models run on ONNX Runtime (\(found.evidence.joined(separator: ", ")))"
                    logger.notice("not using OpenVINO: \(reason)")
                    fallbacks.append("onnxruntime: \(reason)")
                } else {
                    do throws(OVError) {
                        let (compiled, library, names) = try compileOnOpenVINO(
                            url.path, configuration: configuration, logger: logger, readingNames: true)
                        let graph = try clipGraph(compiled, names: names, file: file, family: family)
                        graphs.append(CLIPOpenedGraph(graph: graph, handle: .openVINO(compiled, library)))
                        continue
                    } catch {
                        let reason = "OpenVINO cannot run \(file): \(error)"
                        guard configuration.fallback.contains(.onnxRuntime) else {
                            throw EmbedError(.runtime, reason, underlying: error)
                        }
                        logger.warning("falling back to ONNX Runtime: \(reason)")
                        fallbacks.append("onnxruntime: \(reason)")
                    }
                }
            }
            let (library, environment): (ORTLibrary, ORTEnvironment)
            if let ort {
                (library, environment) = ort
            } else {
                (library, environment) = try onnxRuntime(configuration, file: root.path, logger: logger)
                ort = (library, environment)
            }
            let opened = try ProviderChain.openSession(
                url, configuration: configuration, environment: environment, runtimeVersion: library.version, logger: logger)
            graphs.append(CLIPOpenedGraph(graph: try CLIPGraph(session: opened.session, file: file, family: family), handle: .onnx(opened, library)))
            fallbacks += opened.fallbacks
        }
        return (graphs, fallbacks)
    }

    /// The compiled ports described with the graph's own `names` (in port order) when the
    /// counts agree.
    private static func clipGraph(
        _ compiled: OVCompiledModel, names: (inputs: [String], outputs: [String])?, file: String, family: VisionLanguageFamily
    ) throws(OVError) -> CLIPGraph {
        func renamed(_ ports: [OVPortInfo], _ names: [String]?) throws(OVError) -> [ORTTensorInfo] {
            var infos = try ports.map(tensorInfo)
            if let names, names.count == infos.count {
                for index in infos.indices { infos[index].name = names[index] }
            }
            return infos
        }
        let inputs = try renamed(compiled.inputs, names?.inputs)
        let outputs = try renamed(compiled.outputs, names?.outputs)
        var portNames: [String: String] = [:]
        for (info, port) in zip(inputs + outputs, compiled.inputs + compiled.outputs) { portNames[info.name] = port.name }
        do throws(EmbedError) {
            return try CLIPGraph(
                runner: .openVINO(OpenVINORequests(compiled: compiled, portNames: portNames)), inputs: inputs, outputs: outputs, file: file,
                family: family)
        } catch {
            throw OVError(.invalidArgument, error.message)
        }
    }
}
