import EmbedCore
import EmbedEngine
import Foundation

/// An image a request gave as an http(s) URL on an allowed host: its engine input is filled
/// in by ``OpenAIEmbeddingCall/fetchingImages(policy:)`` once the request is checked.
struct PendingImage: Sendable, Equatable {
    /// The engine input it becomes.
    var input: Int
    var url: URL
    /// Its name in messages (`input[2]`, `input[1].image`).
    var path: String
}

extension OpenAIEmbeddingCall {
    /// The most fetches one request runs at once.
    static let concurrentFetches = 4

    /// The call with every pending image fetched, at most ``concurrentFetches`` at once; the
    /// first failure in input order is the error, naming the input and the URL.
    func fetchingImages(policy: ImageURLPolicy) async throws(ServerError) -> OpenAIEmbeddingCall {
        guard !pendingImages.isEmpty else { return self }
        let pending = pendingImages
        let results = await withTaskGroup(of: (Int, Result<Data, ImageURLFetch.Failure>).self) { group in
            var results = [Result<Data, ImageURLFetch.Failure>?](repeating: nil, count: pending.count)
            var next = 0
            func start() {
                let index = next
                next += 1
                group.addTask { (index, await ImageURLFetch.run(pending[index].url, policy: policy)) }
            }
            while next < min(Self.concurrentFetches, pending.count) { start() }
            while let (index, result) = await group.next() {
                results[index] = result
                if next < pending.count { start() }
            }
            return results
        }
        var call = self
        call.pendingImages = []
        for (image, result) in zip(pending, results) {
            switch result {
            case .success(let data)?: call.inputs[image.input] = .image(data)
            case .failure(let failure)?: throw Self.error(failure, image, policy: policy)
            case nil: throw ServerError(.clientClosedRequest, "the request was cancelled while its images were fetched")
            }
        }
        return call
    }

    private static func error(_ failure: ImageURLFetch.Failure, _ image: PendingImage, policy: ImageURLPolicy) -> ServerError {
        let subject = "'\(image.path)': fetching \(image.url.absoluteString)"
        let (kind, message): (ServerError.Kind, String) =
            switch failure {
            case .status(let status): (.invalidRequest, "\(subject) answered HTTP \(status)")
            case .tooLarge(let limit): (.payloadTooLarge, "\(subject) gave more than the limit of \(limit) bytes for an image")
            case .redirect(let reason): (.invalidRequest, "\(subject) was stopped: \(reason)")
            case .timedOut:
                (.invalidRequest, "\(subject) took longer than \(policy.timeout.inSeconds) s (server.image_url_timeout)")
            case .transfer(let reason): (.invalidRequest, "\(subject) failed: \(reason)")
            }
        return ServerError(kind, message, parameter: "input")
    }
}
