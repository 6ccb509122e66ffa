/// How a session is built: threads, graph optimisation, execution mode, memory.
///
/// A plain value with defaults; it is turned into an `OrtSessionOptions` only while a
/// session is being created.
public struct ORTSessionOptions: Sendable, Equatable {
    /// Graph optimisation levels (`GraphOptimizationLevel`).
    public enum GraphOptimizationLevel: Int32, Sendable, CaseIterable, CustomStringConvertible {
        /// No graph optimisation.
        case disabled = 0
        /// Constant folding, redundant node elimination.
        case basic = 1
        /// Basic plus complex node fusions (attention, GELU, layer norm…).
        case extended = 2
        /// Everything, including layout optimisations.
        case all = 99

        /// The level's name as used in configuration (`disabled`, `basic`, `extended`, `all`).
        public var description: String {
            switch self {
            case .disabled: "disabled"
            case .basic: "basic"
            case .extended: "extended"
            case .all: "all"
            }
        }
    }

    /// Execution modes (`ExecutionMode`).
    public enum ExecutionMode: Int32, Sendable, CaseIterable {
        /// Nodes run one after another (each may use the intra-op threads). Best for transformers.
        case sequential = 0
        /// Independent branches of the graph run in parallel on the inter-op threads.
        case parallel = 1
    }

    /// Threads used inside one operator; `0` lets ONNX Runtime choose (one per physical core).
    public var intraOpThreads: Int
    /// Threads used to run independent operators in parallel mode; `0` lets ONNX Runtime choose.
    public var interOpThreads: Int
    /// How much ONNX Runtime rewrites the graph at load.
    public var graphOptimizationLevel: GraphOptimizationLevel
    /// Sequential or parallel execution.
    public var executionMode: ExecutionMode
    /// Whether the CPU memory arena is used (faster, keeps peak memory allocated).
    public var memoryArena: Bool
    /// Whether memory patterns are planned from previous runs with the same shapes.
    public var memoryPattern: Bool
    /// When set, ONNX Runtime writes the optimised graph to this path at load.
    public var optimizedModelPath: String?
    /// Extra session configuration entries (`AddSessionConfigEntry`), for example
    /// `session.intra_op.allow_spinning = 0`.
    public var configEntries: [String: String]
    /// Execution providers to register, in order of preference; ONNX Runtime's CPU provider
    /// always comes last and runs whatever the others do not take.
    public var executionProviders: [ORTExecutionProvider]

    /// Creates options; every parameter has a default suited to embedding models on CPU.
    public init(
        intraOpThreads: Int = 0,
        interOpThreads: Int = 0,
        graphOptimizationLevel: GraphOptimizationLevel = .all,
        executionMode: ExecutionMode = .sequential,
        memoryArena: Bool = true,
        memoryPattern: Bool = true,
        optimizedModelPath: String? = nil,
        configEntries: [String: String] = [:],
        executionProviders: [ORTExecutionProvider] = []
    ) {
        self.intraOpThreads = intraOpThreads
        self.interOpThreads = interOpThreads
        self.graphOptimizationLevel = graphOptimizationLevel
        self.executionMode = executionMode
        self.memoryArena = memoryArena
        self.memoryPattern = memoryPattern
        self.optimizedModelPath = optimizedModelPath
        self.configEntries = configEntries
        self.executionProviders = executionProviders
    }
}

extension ORTSessionOptions {
    /// Builds an `OrtSessionOptions`; the caller owns the result and releases it.
    func makeNative(api: ORTAPI) throws(ORTError) -> OpaquePointer {
        guard intraOpThreads >= 0, interOpThreads >= 0, intraOpThreads <= Int(Int32.max), interOpThreads <= Int(Int32.max)
        else {
            throw ORTError(
                .invalidArgument,
                "thread counts must be 0 (automatic) or positive, got intra-op \(intraOpThreads), inter-op \(interOpThreads)")
        }
        let options = try api.make("CreateSessionOptions") { api.createSessionOptions($0) }
        do {
            try api.check(api.setIntraOpNumThreads(options, Int32(intraOpThreads)), "SetIntraOpNumThreads(\(intraOpThreads))")
            try api.check(api.setInterOpNumThreads(options, Int32(interOpThreads)), "SetInterOpNumThreads(\(interOpThreads))")
            try api.check(
                api.setSessionGraphOptimizationLevel(options, graphOptimizationLevel.rawValue),
                "SetSessionGraphOptimizationLevel(\(graphOptimizationLevel))")
            try api.check(api.setSessionExecutionMode(options, executionMode.rawValue), "SetSessionExecutionMode")
            try api.check(
                memoryArena ? api.enableCpuMemArena(options) : api.disableCpuMemArena(options), "set CPU memory arena")
            try api.check(
                memoryPattern ? api.enableMemPattern(options) : api.disableMemPattern(options), "set memory pattern")
            if let optimizedModelPath {
                try api.check(
                    api.setOptimizedModelFilePath(options, optimizedModelPath),
                    "SetOptimizedModelFilePath(\(optimizedModelPath))")
            }
            for (key, value) in configEntries.sorted(by: { $0.key < $1.key }) {
                try api.check(api.addSessionConfigEntry(options, key, value), "AddSessionConfigEntry(\(key)=\(value))")
            }
            for provider in executionProviders {
                try provider.register(on: options, api: api)
            }
        } catch {
            api.releaseSessionOptions(options)
            throw error
        }
        return options
    }
}
