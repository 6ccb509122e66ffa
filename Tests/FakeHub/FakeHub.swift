public import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A Hugging Face compatible hub on loopback, for tests: the two endpoints the model store
/// uses (`/api/models/<id>/revision/<rev>` and `/<id>/resolve/<commit>/<path>`, with
/// ranges), a log of the requests it saw, and faults to inject.
public final class FakeHub: Sendable {
    /// Something to go wrong once, on the next request for a file.
    public enum Fault: Sendable, Equatable {
        /// Send the headers for the whole file, then only this many bytes, then close.
        case cutOff(afterBytes: Int)
        /// Send the whole file with the byte at this offset changed.
        case corrupt(byteAt: Int)
        /// Answer with this HTTP status and no body.
        case status(Int)
    }

    /// A request the hub received.
    public struct Request: Sendable {
        public var path: String
        public var range: String?
        public var authorization: String?
    }

    private struct State {
        var chunkDelay: Duration?
        var repositories: [String: FakeHubRepository] = [:]
        var faults: [String: [Fault]] = [:]
        var requests: [Request] = []
    }

    private let state = Mutex(State())

    /// An empty hub.
    public init() {}

    /// Serves `repository` (replacing one with the same id).
    public func add(_ repository: FakeHubRepository) {
        state.withLock { $0.repositories[repository.id] = repository }
    }

    /// Makes the next request for `path` of `id` fail with `fault` (faults queue up in order).
    public func inject(_ fault: Fault, id: String, path: String) {
        state.withLock { $0.faults["\(id)/\(path)", default: []].append(fault) }
    }

    /// When set, file bodies are sent in 64 kB pieces with this pause between them (slow
    /// downloads, for tests about concurrent pulls).
    public var chunkDelay: Duration? {
        get { state.withLock { $0.chunkDelay } }
        set { state.withLock { $0.chunkDelay = newValue } }
    }

    /// Every request so far, in order.
    public var requests: [Request] { state.withLock { $0.requests } }

    /// The file downloads so far (requests for `/resolve/`), as repository paths.
    public var downloads: [String] {
        requests.compactMap { request in
            request.path.range(of: "/resolve/").map { range in
                String(request.path[range.upperBound...].drop { $0 != "/" }.dropFirst())
            }
        }
    }

    /// Starts the hub on a free loopback port, runs `body` with its base URL, then stops it.
    public func run<T: Sendable>(_ body: @escaping @Sendable (URL) async throws -> T) async throws -> T {
        let router = Router()
        router.get("**") { [self] request, _ in response(to: request) }
        return try await LoopbackHTTPServer.run(router, label: "the fake hub", body)
    }

    private func response(to request: HummingbirdCore.Request) -> Response {
        let path = request.uri.path
        let authorization = request.headers[.authorization]
        state.withLock { $0.requests.append(Request(path: path, range: request.headers[.range], authorization: authorization)) }
        let parts = path.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        if parts.count >= 6, parts[0] == "api", parts[1] == "models", parts[4] == "revision" {
            return info(id: parts[2] + "/" + parts[3], revision: parts[5...].joined(separator: "/"), authorization: authorization)
        }
        if parts.count >= 5, parts[2] == "resolve" {
            return file(
                id: parts[0] + "/" + parts[1], revision: parts[3], path: parts[4...].joined(separator: "/"),
                request: request)
        }
        return Self.error(.notFound, "no such endpoint")
    }

    private func repository(_ id: String, revision: String, authorization: String?) -> Lookup {
        guard let repository = state.withLock({ $0.repositories[id] }) else {
            // Like the real hub: a missing repository is 401 without a token, 404 with one.
            return .failure(Self.error(authorization == nil ? .unauthorized : .notFound, "Repository not found"))
        }
        if let token = repository.requiredToken, authorization != "Bearer \(token)" {
            return .failure(Self.error(.unauthorized, "Access to model \(id) is restricted"))
        }
        guard repository.branches.contains(revision) || repository.commit == revision else {
            return .failure(Self.error(.notFound, "Revision Not Found"))
        }
        return .success(repository)
    }

    private enum Lookup {
        case success(FakeHubRepository)
        case failure(Response)
    }

    private func info(id: String, revision: String, authorization: String?) -> Response {
        let repository: FakeHubRepository
        switch self.repository(id, revision: revision, authorization: authorization) {
        case .success(let found): repository = found
        case .failure(let response): return response
        }
        let siblings: [[String: Any]] = repository.files.keys.sorted().compactMap { path in
            guard let file = repository.files[path] else { return nil }
            var entry: [String: Any] = ["rfilename": path, "size": file.contents.count, "blobId": file.blobID]
            if file.isLFS { entry["lfs"] = ["sha256": file.sha256, "size": file.contents.count, "pointerSize": 134] }
            return entry
        }
        let body: [String: Any] = ["id": id, "modelId": id, "sha": repository.commit, "siblings": siblings]
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
        return Response(
            status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    private func file(id: String, revision: String, path: String, request: HummingbirdCore.Request) -> Response {
        let repository: FakeHubRepository
        switch self.repository(id, revision: revision, authorization: request.headers[.authorization]) {
        case .success(let found): repository = found
        case .failure(let response): return response
        }
        guard let file = repository.files[path], let etag = repository.etag(path) else {
            return Self.error(.notFound, "Entry not found")
        }
        let fault = state.withLock { state -> Fault? in
            guard var queue = state.faults["\(id)/\(path)"], !queue.isEmpty else { return nil }
            let first = queue.removeFirst()
            state.faults["\(id)/\(path)"] = queue
            return first
        }
        var contents = file.contents
        if case .status(let code) = fault { return Self.error(.init(code: code), "injected failure") }
        if case .corrupt(let offset) = fault, offset < contents.count { contents[offset] ^= 0xFF }

        var headers: HTTPFields = [.eTag: "\"\(etag)\"", .acceptRanges: "bytes"]
        headers[HTTPField.Name("X-Repo-Commit")!] = repository.commit
        var status = HTTPResponse.Status.ok
        var start = 0
        if let range = request.headers[.range] {
            guard let offset = Self.rangeStart(range), offset <= contents.count else {
                headers[.contentRange] = "bytes */\(contents.count)"
                return Response(status: .rangeNotSatisfiable, headers: headers)
            }
            start = offset
            status = .partialContent
            headers[.contentRange] = "bytes \(offset)-\(max(contents.count - 1, offset))/\(contents.count)"
        }
        let body = contents.subdata(in: start..<contents.count)
        if case .cutOff(let bytes) = fault {
            let sent = body.prefix(max(0, bytes - start))
            headers[.contentLength] = String(body.count)
            return Response(
                status: status, headers: headers,
                body: ResponseBody(contentLength: body.count) { writer in
                    try await writer.write(ByteBuffer(bytes: sent))
                    throw FakeHubError(message: "connection cut off by the test")
                })
        }
        if let delay = chunkDelay {
            return Response(
                status: status, headers: headers,
                body: ResponseBody(contentLength: body.count) { writer in
                    for offset in stride(from: 0, to: body.count, by: 65_536) {
                        try await Task.sleep(for: delay)
                        try await writer.write(ByteBuffer(bytes: body[offset..<min(offset + 65_536, body.count)]))
                    }
                    try await writer.finish(nil)
                })
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    private static func rangeStart(_ header: String) -> Int? {
        guard header.hasPrefix("bytes="), let dash = header.firstIndex(of: "-") else { return nil }
        return Int(header[header.index(header.startIndex, offsetBy: 6)..<dash])
    }

    private static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        let data = Data(#"{"error":"\#(message)"}"#.utf8)
        return Response(
            status: status, headers: [.contentType: "application/json", HTTPField.Name("X-Error-Message")!: message],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// A failure of the fake hub itself.
struct FakeHubError: Error {
    var message: String
}
