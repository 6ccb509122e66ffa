import EmbedCore
import EmbedHub
import EmbedTokenizers
import Foundation
import Logging

extension ModelLoader {
    /// The registry entry of a model: by the hub id it was asked for, by the id in a hub
    /// cache path (`models--owner--name`), or by its folder's name.
    static func knownModel(_ source: ModelSource, knownAs: String?) -> KnownModel? {
        if let knownAs, let entry = KnownModels.entry(for: knownAs) { return entry }
        switch source {
        case .hub(let id, _):
            return KnownModels.entry(for: id.description)
        case .folder(let url):
            if let cached = url.pathComponents.first(where: { $0.hasPrefix("models--") }) {
                let id = cached.dropFirst("models--".count).replacingOccurrences(of: "--", with: "/")
                if let entry = KnownModels.entry(for: id) { return entry }
            }
            return KnownModels.entry(for: url.standardizedFileURL.lastPathComponent)
        case .onnxFile:
            return nil
        }
    }

    /// Decides pooling, output modules, dimension, maximum length and prompts from the
    /// model's files and the configuration. The registry entry only fills what the files do
    /// not say, and each value taken from it is logged and recorded.
    struct Resolver {
        let files: ModelFiles
        let known: KnownModel?
        let configuration: EmbedderConfiguration
        let logger: Logger
        /// Why vectors are (or are not) normalised.
        var normalizeSource = ""
        /// What came from the registry.
        var filledFromRegistry: [String] = []

        init(files: ModelFiles, known: KnownModel?, configuration: EmbedderConfiguration, logger: Logger) {
            self.files = files
            self.known = known
            self.configuration = configuration
            self.logger = logger
        }

        mutating func fromRegistry(_ what: String) {
            guard let known else { return }
            logger.notice("\(files.name): \(what) from the registry entry \(known.id) (the model's files do not say)")
            filledFromRegistry.append(what)
        }

        mutating func pooling(signature: ModelSignature) throws(EmbedError) -> Pooling? {
            if signature.outputIsPooled {
                if let pooling = configuration.pooling {
                    throw EmbedError(
                        .invalidConfiguration,
                        "the model's output '\(signature.output)' is already pooled; pooling \(pooling) cannot be applied")
                }
                return nil
            }
            if let pooling = configuration.pooling { return pooling }
            if let pooling = files.pooling?.pooling { return pooling }
            if let known {
                fromRegistry("pooling \(known.pooling)")
                return known.pooling
            }
            logger.notice("no 1_Pooling/config.json for \(files.name): using mean pooling, as sentence-transformers does")
            return .mean
        }

        func dimension(signature: ModelSignature, pooling: Pooling?, outputModules: OutputModules) throws(EmbedError) -> Int? {
            let tokenDimension = signature.dimension ?? files.transformer?.hiddenSize
            if let pooling, let expected = files.pooling?.wordEmbeddingDimension, let tokenDimension, expected != tokenDimension {
                throw EmbedError(
                    .invalidModel,
                    "1_Pooling/config.json expects token vectors of \(expected) values, the model gives \(tokenDimension) "
                        + "(output '\(signature.output)', pooling \(pooling))")
            }
            let pooled: Int? =
                if let pooling {
                    (tokenDimension ?? files.pooling?.wordEmbeddingDimension).map { pooling.outputDimension(for: $0) }
                } else {
                    signature.dimension
                }
            var current = pooled
            for step in outputModules.steps {
                guard case .dense(let layer, let path) = step else { continue }
                if let size = current, size != layer.configuration.inFeatures {
                    throw EmbedError(
                        .invalidModel,
                        "the Dense module \(path) takes vectors of \(layer.configuration.inFeatures) values, "
                            + "but receives \(size)")
                }
                current = layer.configuration.outFeatures
            }
            return current
        }

        mutating func maxLength() throws(EmbedError) -> MaxLength {
            if let value = configuration.maxLength {
                return try checked(MaxLength(value: value, source: "configuration"), code: .invalidConfiguration)
            }
            if let resolved = MaxLength.resolve(
                sentenceBert: files.sentenceBert, tokenizer: files.tokenizerConfiguration, model: files.transformer)
            {
                return try checked(resolved, code: .invalidModel)
            }
            if let fromFile = try files.tokenizer.value().configuredTruncation?.maxLength {
                logger.notice("no model configuration for \(files.name): maximum length \(fromFile) from tokenizer.json")
                return MaxLength(value: fromFile, source: "tokenizer.json truncation")
            }
            if let known {
                fromRegistry("maximum length \(known.maxLength)")
                return MaxLength(value: known.maxLength, source: "registry (\(known.id))")
            }
            logger.notice("no model configuration for \(files.name): maximum length 512 by default")
            return MaxLength(value: 512, source: "default")
        }

        /// A maximum length, from the configuration or the model's files, that the model can
        /// take: room for text after the special tokens, and no more than its positions
        /// (a larger one would fail inside the model on long inputs, at request time).
        private mutating func checked(_ length: MaxLength, code: EmbedError.Code) throws(EmbedError) -> MaxLength {
            let special = try files.tokenizer.value().specialTokenCount
            if let positions = files.transformer?.maxPositionEmbeddings, length.value > positions {
                throw EmbedError(
                    code, "maximum length \(length) is larger than the model's \(positions) positions (config.json max_position_embeddings)")
            }
            guard length.value > special else {
                throw EmbedError(
                    code, "maximum length \(length) leaves no room for text: the tokenizer adds \(special) special tokens")
            }
            return length
        }

        /// The model's prompts (or the registry's when the files have none), checked
        /// against the configured default options.
        mutating func prompts() throws(EmbedError) -> PromptSet {
            var set = PromptSet()
            let file = files.sentenceTransformers
            // sentence-transformers 6 saves empty "query" and "document" prompts in every model:
            // prompts that are all empty say nothing, and the registry may fill them.
            let saysSomething = file.map { $0.prompts.values.contains { !$0.isEmpty } || $0.defaultPromptName != nil } ?? false
            if let file, saysSomething {
                set = PromptSet(
                    prompts: file.prompts, defaultPromptName: file.defaultPromptName,
                    source: "config_sentence_transformers.json")
            } else if let known, !known.prompts.isEmpty {
                fromRegistry("prompts \(known.prompts.keys.sorted().joined(separator: ", "))")
                set = PromptSet(
                    prompts: (file?.prompts ?? [:]).merging(known.prompts) { $1 }, defaultPromptName: nil,
                    source: "registry (\(known.id))")
            } else if let file {
                set = PromptSet(prompts: file.prompts, defaultPromptName: nil, source: "config_sentence_transformers.json")
            }
            do {
                _ = try set.resolve(.automatic, configured: configuration.defaultPrompt)
            } catch {
                throw EmbedError(.invalidConfiguration, "the configured default prompt: \(error.message)", underlying: error)
            }
            return set
        }
    }
}
