import EmbedCore
import Foundation
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One image fetched by URL under an ``ImageURLPolicy``: redirects only to allowed hosts,
/// at most `maxBytes` kept in memory (the transfer stops past it), a whole-fetch timeout.
/// URLSession runs the transfer on its own threads; the caller only awaits the outcome.
final class ImageURLFetch: NSObject, URLSessionDataDelegate, Sendable {
    /// Why a fetch gave no image.
    enum Failure: Error, Sendable, Equatable {
        case status(Int)
        case tooLarge(limit: Int)
        case redirect(String)
        case timedOut
        case transfer(String)
    }

    private struct State {
        var data = Data()
        var failure: Failure?
        var redirects = 0
        var continuation: CheckedContinuation<Result<Data, Failure>, Never>?
    }

    private let state = Mutex(State())
    private let policy: ImageURLPolicy

    private init(policy: ImageURLPolicy) {
        self.policy = policy
    }

    /// Fetches `url` (already checked against `policy`).
    static func run(_ url: URL, policy: ImageURLPolicy) async -> Result<Data, Failure> {
        let fetch = ImageURLFetch(policy: policy)
        let configuration = URLSessionConfiguration.ephemeral
        let seconds = max(policy.timeout.inSeconds, 0.001)
        configuration.timeoutIntervalForRequest = seconds
        configuration.timeoutIntervalForResource = seconds
        configuration.httpCookieAcceptPolicy = .never
        configuration.urlCache = nil
        let session = URLSession(configuration: configuration, delegate: fetch, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        var request = URLRequest(url: url, timeoutInterval: seconds)
        request.setValue("image/*", forHTTPHeaderField: "Accept")
        let task = session.dataTask(with: request)
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                fetch.state.withLock { $0.continuation = continuation }
                task.resume()
            }
        } onCancel: {
            task.cancel()
        }
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
    ) {
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let failure: Failure? =
            if !(200..<300).contains(status) {
                .status(status)
            } else if response.expectedContentLength > Int64(policy.maxBytes) {
                .tooLarge(limit: policy.maxBytes)
            } else {
                nil
            }
        state.withLock { if $0.failure == nil { $0.failure = failure } }
        completionHandler(failure == nil ? .allow : .cancel)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let over = state.withLock { state -> Bool in
            guard state.failure == nil else { return true }
            guard state.data.count + data.count <= policy.maxBytes else {
                state.failure = .tooLarge(limit: policy.maxBytes)
                state.data = Data()
                return true
            }
            state.data.append(data)
            return false
        }
        if over { dataTask.cancel() }
    }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        let refusal = state.withLock { state -> Failure? in
            state.redirects += 1
            let target = request.url?.absoluteString ?? "?"
            if state.redirects > policy.maxRedirects {
                state.failure = .redirect("more than \(policy.maxRedirects) redirects (the last to \(target))")
            } else if let url = request.url, !policy.allows(url) {
                state.failure = .redirect("a redirect to \(target), whose host is not allowed")
            }
            return state.failure
        }
        if refusal == nil {
            completionHandler(request)
        } else {
            completionHandler(nil)
            task.cancel()
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let (continuation, result) = state.withLock { state -> (CheckedContinuation<Result<Data, Failure>, Never>?, Result<Data, Failure>) in
            let result: Result<Data, Failure>
            if let failure = state.failure {
                result = .failure(failure)
            } else if let error {
                let timedOut = (error as? URLError)?.code == .timedOut
                result = .failure(timedOut ? .timedOut : .transfer(error.localizedDescription))
            } else {
                result = .success(state.data)
            }
            let continuation = state.continuation
            state.continuation = nil
            state.data = Data()
            return (continuation, result)
        }
        continuation?.resume(returning: result)
    }
}
