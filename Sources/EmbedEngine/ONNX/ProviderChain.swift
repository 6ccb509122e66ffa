import EmbedORT
import Foundation
import Logging

/// Opens a session on the first configured execution provider that the runtime has and
/// that registers without error, ending with the CPU provider when allowed.
enum ProviderChain {
    struct Opened {
        var session: ORTSession
        var provider: ORTExecutionProvider
        var available: [String]
        var fallbacks: [String]
        /// What the optimised graph cache did (`nil`: not configured or not a CPU session).
        var optimizedGraph: String?
    }

    static func openSession(
        _ url: URL, configuration: EmbedderConfiguration, environment: ORTEnvironment, runtimeVersion: String,
        logger: Logger
    ) throws(EmbedError) -> Opened {
        let available = (try? environment.availableProviders()) ?? []
        var wanted = configuration.providers.isEmpty ? [ORTExecutionProvider.cpu] : configuration.providers
        var skipped: [String] = []
        let cpuAllowed = wanted.contains(.cpu) || configuration.fallback.contains(.cpu)
        if !wanted.contains(.cpu), configuration.fallback.contains(.cpu) { wanted.append(.cpu) }

        for provider in wanted {
            if provider != .cpu, !available.contains(provider.name) {
                let reason = "\(provider.name) is not available in this ONNX Runtime (it has \(available.joined(separator: ", ")))"
                logger.notice("skipping execution provider: \(reason)")
                skipped.append(reason)
                continue
            }
            var options = configuration.session
            options.executionProviders = provider == .cpu ? [] : [provider]
            do {
                var session: ORTSession
                var optimizedGraph: String?
                if provider == .cpu, let cache = configuration.optimizedModelCache {
                    let outcome: OptimizedModelCache.Outcome
                    (session, outcome) = try cache.openSession(
                        url, options: options, environment: environment, runtimeVersion: runtimeVersion, logger: logger)
                    optimizedGraph = outcome.description
                } else {
                    session = try ORTSession(path: url.path, options: options, environment: environment)
                }
                var fallbacks: [String] = []
                if !skipped.isEmpty, provider == .cpu, let first = configuration.providers.first, first != .cpu {
                    let reason = skipped.joined(separator: "; ")
                    logger.warning("running on CPUExecutionProvider instead of \(first.name): \(reason)")
                    fallbacks.append("cpu: \(reason)")
                }
                logger.info("execution provider \(provider.name) for \(url.lastPathComponent)")
                return Opened(
                    session: session, provider: provider, available: available, fallbacks: fallbacks,
                    optimizedGraph: optimizedGraph)
            } catch {
                // A broken model fails on every provider: report it at once.
                if case .runtime(let code) = error.code, [.noSuchFile, .invalidProtobuf, .invalidGraph, .noModel].contains(code) {
                    throw ModelLoader.wrap(error, file: url.path)
                }
                // So does an operator the runtime does not have (a custom quantization scheme…).
                if ["is not a registered function/op", "Could not find an implementation"].contains(where: error.message.contains) {
                    throw EmbedError(
                        .invalidModel,
                        "\(url.lastPathComponent) uses an operator this ONNX Runtime does not implement "
                            + "(made by another tool or a newer runtime?): \(error.message)",
                        underlying: error)
                }
                let reason = "\(provider.name) failed: \(error.message)"
                logger.warning("skipping execution provider: \(reason)")
                skipped.append(reason)
            }
        }
        throw EmbedError(
            .runtime,
            "no execution provider could run \(url.lastPathComponent): \(skipped.joined(separator: "; "))"
                + (cpuAllowed ? "" : " (the fallback configuration does not allow CPU)")
                + ". Available in this ONNX Runtime: \(available.joined(separator: ", "))")
    }
}
