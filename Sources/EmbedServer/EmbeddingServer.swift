public import EmbedEngine
import EmbedTokenizers
import Foundation
public import Hummingbird
public import Logging
public import NIOCore
public import ServiceLifecycle

/// The HTTP server: OpenAI-compatible and Text Embeddings Inference-compatible embedding
/// routes in front of an ``EmbedEngine/Embedder``, whose requests use the online batch policy.
///
/// ```swift
/// let server = try EmbeddingServer(configuration: configuration, logger: logger, metrics: render) {
///     try await Embedder(source, configuration: embedderConfiguration, logger: logger)
/// }
/// try await ServiceGroup(services: [server], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger).run()
/// ```
///
/// Routes: `POST /v1/embeddings` (and `/embeddings`), `GET /v1/models`, `GET /v1/models/{id}`,
/// `POST /embed`, `POST /`, `POST /similarity`, `POST /tokenize`, `POST /decode`,
/// `POST /embed_all` (422, see ``TEIRoutes``), `GET /info`, `GET /health` (and `GET /`),
/// `GET /metrics`, `GET /openapi.json` (docs/openapi.json) and `GET /docs`; HEAD on every GET
/// route, 405 with `Allow` for another method. The server listens at once; until the model is
/// loaded every route but `/metrics`, `/openapi.json` and `/docs` answers 503. It may serve
/// several models (``init(configuration:models:logger:metrics:)``, ``ModelHosts``).
/// On graceful shutdown it stops accepting connections, refuses new requests with 503,
/// answers those in flight, drains the embedder (which then refuses work for good) and
/// returns.
public struct EmbeddingServer: Service {
    /// The configuration in effect.
    public let configuration: ServerConfiguration
    /// The default model's host (the first of ``hosts``).
    public var host: ModelHost { hosts.first }
    /// Every model served, the default first.
    public let hosts: ModelHosts

    /// How each model is loaded, `nil` for one that was ready from the start.
    private let loaders: [(@Sendable () async throws -> Embedder)?]
    private let metrics: (@Sendable () -> String)?
    private let logger: Logger
    /// OpenAI's `cl100k_base`, when token ids on the OpenAI route are OpenAI's and a file was found.
    private let tiktoken: TiktokenDecoder?

    /// A server that loads its model with `loadModel` once it listens, served as
    /// ``ServerConfiguration/modelID`` (or the model's own name).
    ///
    /// - Parameter metrics: renders `/metrics` (Prometheus text); `nil` turns the route off.
    public init(
        configuration: ServerConfiguration, logger: Logger, metrics: (@Sendable () -> String)? = nil,
        loadModel: @escaping @Sendable () async throws -> Embedder
    ) throws(ServerError) {
        try self.init(
            configuration: configuration, models: [ServedModel(name: configuration.modelID, load: loadModel)],
            ready: [nil], logger: logger, metrics: metrics)
    }

    /// A server for an embedder that is ready (tests, embedding in another application).
    public init(
        configuration: ServerConfiguration, embedder: Embedder, logger: Logger,
        metrics: (@Sendable () -> String)? = nil
    ) throws(ServerError) {
        try self.init(
            configuration: configuration, models: [ServedModel(name: configuration.modelID, embedder: embedder)],
            ready: [embedder], logger: logger, metrics: metrics)
    }

    /// A server of several models (``ModelHosts`` says how requests choose), loaded in order
    /// once it listens, the first being the default. With several, each needs a name and the
    /// names must differ; ``ServerConfiguration/modelID``, when set, must be the first's.
    public init(
        configuration: ServerConfiguration, models: [ServedModel], logger: Logger,
        metrics: (@Sendable () -> String)? = nil
    ) throws(ServerError) {
        if let modelID = configuration.modelID, let first = models.first, first.name != modelID {
            throw ServerError(
                .invalidConfiguration,
                "the model id '\(modelID)' is not the first model's served name '\(first.name ?? "(its own)")'")
        }
        try self.init(
            configuration: configuration, models: models, ready: models.map { _ in nil }, logger: logger,
            metrics: metrics)
    }

    private init(
        configuration: ServerConfiguration, models: [ServedModel], ready: [Embedder?], logger: Logger,
        metrics: (@Sendable () -> String)?
    ) throws(ServerError) {
        try configuration.validate()
        self.configuration = configuration
        hosts = try ModelHosts(models, ready: ready, fusion: configuration.fusion)
        loaders = zip(models, ready).map { model, embedder in embedder == nil ? model.load : nil }
        self.metrics = metrics
        self.logger = logger
        tiktoken = try Self.loadTiktoken(configuration, logger: logger)
    }

    /// The Hummingbird application: routes, middleware and the model's service.
    public func makeApplication(
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let (router, _) = makeRouter()
        let model = ModelService(hosts: hosts, configuration: configuration, loaders: loaders, logger: logger)
        return Application(
            router: router,
            server: .http1(
                configuration: .init(
                    additionalChannelHandlers: [
                        ParserErrorBody(), ClientDisconnectHandler(), RequestBodyHandler(timeouts: configuration.timeouts, logger: logger),
                    ],
                    idleTimeout: TimeAmount(configuration.timeouts.idle))),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port), serverName: "swift-embed"),
            services: [model],
            onServerRunning: { [logger, configuration] channel in
                let address = channel.localAddress
                logger.notice("listening on http://\(address?.ipAddress ?? configuration.host):\(address?.port ?? configuration.port)")
                await onServerRunning(channel)
            },
            logger: logger)
    }

    /// The router with its middleware and every route, and the table the routes were
    /// registered through.
    func makeRouter() -> (router: Router<ServerRequestContext>, table: RouteTable) {
        // HEAD is answered on every GET route (the GET handler's headers, no body).
        let router = Router(context: ServerRequestContext.self, options: .autoGenerateHeadEndpoints)
        let table = RouteTable()
        router.add(middleware: RequestObserver())
        if let guardian = HostGuard(configuration) { router.add(middleware: guardian) }
        if !configuration.corsAllowOrigins.isEmpty {
            router.add(middleware: CORSGuard(origins: configuration.corsAllowOrigins))
        }
        if let apiKey = configuration.apiKey { router.add(middleware: APIKeyAuthenticator(apiKey: apiKey)) }
        router.add(middleware: MethodGuard(table: table))
        let validator = RequestValidator(configuration: configuration, tiktoken: tiktoken)
        let embedding = EmbeddingRoutes(hosts: hosts, validator: validator, configuration: configuration)
        embedding.register(on: router, table: table)
        TEIRoutes(hosts: hosts, validator: validator, embedding: embedding).register(on: router, table: table)
        ModelRoutes(hosts: hosts, validator: validator, configuration: configuration).register(on: router, table: table)
        OperationsRoutes(hosts: hosts, metrics: metrics).register(on: router, table: table)
        DocsRoutes().register(on: router, table: table)
        return (router, table)
    }

    /// The `cl100k_base` decoder the OpenAI route needs, when it needs one; a file that
    /// exists but is not `cl100k_base` stops the start.
    private static func loadTiktoken(
        _ configuration: ServerConfiguration, logger: Logger
    ) throws(ServerError) -> TiktokenDecoder? {
        guard configuration.openAITokenIDs == .cl100k else { return nil }
        do throws(TokenizerError) {
            guard let (decoder, file) = try configuration.tiktoken.load() else {
                logger.notice(
                    "token-id inputs on /v1/embeddings will be refused: no cl100k_base.tiktoken was found",
                    metadata: ["searched": "\(configuration.tiktoken.candidates.map(\.path))"])
                return nil
            }
            logger.info("token-id inputs on /v1/embeddings are decoded as cl100k_base", metadata: ["file": "\(file.path)"])
            return decoder
        } catch {
            throw ServerError(.invalidConfiguration, "cl100k_base for the OpenAI route: \(error.message)")
        }
    }

    /// Runs the server until graceful shutdown (then drains) or until loading the model fails.
    public func run() async throws {
        try await ListenAddress.check(host: configuration.host, port: configuration.port)
        let application = makeApplication()
        try await withGracefulShutdownHandler {
            try await application.run()
        } onGracefulShutdown: { [hosts, logger] in
            logger.notice("shutting down: refusing new requests, finishing those in flight")
            hosts.beginDraining()
        }
    }
}
