import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The hub's HTTP endpoints: repository information and file downloads.
struct HubClient: Sendable {
    let configuration: HubConfiguration

    /// A file of a repository, as the hub lists it.
    struct RemoteFile: Sendable, Equatable {
        var path: String
        var size: Int64?
        var checksum: Checksum?
    }

    /// A revision of a repository: its commit and files.
    struct RepositoryInfo: Sendable {
        var commit: String
        var files: [String: RemoteFile]
    }

    private struct InfoResponse: Decodable {
        struct Sibling: Decodable {
            struct LFS: Decodable { var sha256: String? }
            var rfilename: String
            var size: Int64?
            var blobId: String?
            var lfs: LFS?
        }

        var sha: String?
        var siblings: [Sibling]?
    }

    /// `GET /api/models/<id>/revision/<revision>?blobs=true`: the commit and the files with
    /// their sizes and checksums.
    func repositoryInfo(_ id: ModelID, revision: Revision) async throws(HubError) -> RepositoryInfo {
        let url = try apiURL("api/models/\(id)/revision/\(Self.escape(revision.value))", query: "blobs=true")
        let data = try await get(url, what: "\(id) at revision \(revision)")
        let response: InfoResponse
        do {
            response = try JSONDecoder().decode(InfoResponse.self, from: data)
        } catch {
            throw HubError(.network, "unexpected answer from \(url.absoluteString): \(error)")
        }
        guard let commit = response.sha, (try? Revision(commit))?.isCommit == true else {
            throw HubError(.network, "the hub gave no commit for \(id) at revision \(revision)")
        }
        var files: [String: RemoteFile] = [:]
        for sibling in response.siblings ?? [] where RepositoryPath.isSafe(sibling.rfilename) {
            let checksum = Checksum(sha256: sibling.lfs?.sha256) ?? Checksum(gitBlob: sibling.blobId)
            files[sibling.rfilename] = RemoteFile(path: sibling.rfilename, size: sibling.size, checksum: checksum)
        }
        return RepositoryInfo(commit: commit, files: files)
    }

    /// The request for a file's contents at a commit (`/<id>/resolve/<commit>/<path>`).
    func fileRequest(_ id: ModelID, commit: String, path: String) throws(HubError) -> URLRequest {
        let escaped = path.split(separator: "/").map { Self.escape(String($0)) }.joined(separator: "/")
        return request(try apiURL("\(id)/resolve/\(commit)/\(escaped)", query: nil))
    }

    func request(_ url: URL) -> URLRequest {
        var request = URLRequest(url: url)
        request.setValue("swift-embed", forHTTPHeaderField: "User-Agent")
        if let token = configuration.token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        request.timeoutInterval = 60
        return request
    }

    private func get(_ url: URL, what: String) async throws(HubError) -> Data {
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: request(url))
        } catch {
            throw HubError(.network, "cannot reach \(configuration.endpoint.absoluteString) for \(what): \(error.localizedDescription)")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard status == 200 else { throw statusError(status, what: what, url: url) }
        return data
    }

    /// The error for an HTTP status other than success.
    func statusError(_ status: Int, what: String, url: URL) -> HubError {
        switch status {
        case 401, 403:
            let hint = configuration.token == nil
                ? "it does not exist, or it is gated or private: set HF_TOKEN (or hub.token) to a token that has access"
                : "the token was refused: check the id and that the token has access to this model"
            return HubError(.unauthorized, "the hub refused access to \(what) (HTTP \(status)): \(hint)")
        case 404:
            return HubError(.notFound, "not found on \(configuration.endpoint.absoluteString): \(what) (HTTP 404)")
        default:
            return HubError(.network, "unexpected HTTP \(status) from \(url.absoluteString) for \(what)")
        }
    }

    private func apiURL(_ path: String, query: String?) throws(HubError) -> URL {
        var text = configuration.endpoint.absoluteString
        if !text.hasSuffix("/") { text += "/" }
        text += path
        if let query { text += "?" + query }
        guard let url = URL(string: text) else { throw HubError(.invalidModelID, "cannot form a URL from \(text)") }
        return url
    }

    private static func escape(_ component: String) -> String {
        component.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? component
    }
}
