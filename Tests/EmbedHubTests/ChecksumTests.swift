@testable import EmbedHub
import EmbedTestSupport
import Foundation
import Testing

struct ChecksumTests {
    func file(_ contents: String) throws -> URL {
        let url = try TestPaths.temporaryFolder().appendingPathComponent("blob")
        try Data(contents.utf8).write(to: url)
        return url
    }

    @Test func sha256MatchesThePublishedVector() throws {
        // FIPS 180-2 example "abc".
        let url = try file("abc")
        #expect(try Checksum.sha256("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad").verify(url))
        #expect(try !Checksum.sha256(String(repeating: "0", count: 64)).verify(url))
    }

    @Test func gitBlobIDMatchesGit() throws {
        // `printf 'hello\n' | git hash-object --stdin`
        let url = try file("hello\n")
        #expect(try Checksum.gitBlob("ce013625030ba8dba906f756967f9e9ca394464a").verify(url))
        #expect(try !Checksum.gitBlob("ce013625030ba8dba906f756967f9e9ca394464b").verify(url))
    }

    @Test func malformedChecksumsAreRejected() {
        #expect(Checksum(sha256: "../../etc/passwd") == nil)
        #expect(Checksum(sha256: String(repeating: "g", count: 64)) == nil)
        #expect(Checksum(gitBlob: "abc") == nil)
        #expect(Checksum(gitBlob: String(repeating: "A", count: 40)) == .gitBlob(String(repeating: "a", count: 40)))
    }
}
