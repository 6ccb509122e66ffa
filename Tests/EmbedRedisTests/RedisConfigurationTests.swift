import EmbedRedis
import Testing

@Suite("Configuration")
struct RedisConfigurationTests {
    @Test("defaults")
    func defaults() throws {
        let configuration = RedisConfiguration()
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 6379, "exact")
        #expect(configuration.database == 0, "exact")
        #expect(configuration.tls == nil)
        #expect(configuration.commandTimeout == .milliseconds(25))
        #expect(configuration.connectTimeout == .milliseconds(250))
        #expect(configuration.maxReplySize == 64 << 20, "exact")
        #expect(configuration.poolSize == 8, "exact")
        try configuration.validate()
    }

    @Test("URL forms")
    func urls() throws {
        let plain = try RedisConfiguration(url: "redis://cache.internal")
        #expect(plain.host == "cache.internal" && plain.port == 6379 && plain.database == 0 && plain.password == nil, "exact")

        let full = try RedisConfiguration(url: "redis://alice:s%40cret%3A1@10.0.0.5:6380/3")
        #expect(full.username == "alice" && full.password == "s@cret:1")
        #expect(full.host == "10.0.0.5" && full.port == 6380 && full.database == 3, "exact")

        let passwordOnly = try RedisConfiguration(url: "redis://:pw@host/")
        #expect(passwordOnly.username == nil && passwordOnly.password == "pw" && passwordOnly.database == 0, "exact")

        let tls = try RedisConfiguration(url: "rediss://host:6390")
        #expect(tls.tls == RedisConfiguration.TLS() && tls.tls?.verifyCertificate == true && tls.port == 6390, "exact")

        let ipv6 = try RedisConfiguration(url: "redis://[::1]:7000/1")
        #expect(ipv6.host == "::1" && ipv6.port == 7000 && ipv6.address == "[::1]:7000", "exact")

        let base = RedisConfiguration(poolSize: 3, commandTimeout: .milliseconds(40))
        let kept = try RedisConfiguration(url: "REDIS://h", base: base)
        #expect(kept.poolSize == 3 && kept.commandTimeout == .milliseconds(40), "exact")
    }

    @Test("bad URLs name the part at fault", arguments: [
        ("http://host", "scheme 'http'"),
        ("host:6379", "no scheme"),
        ("redis://host:0", "port '0'"),
        ("redis://host:99999", "port '99999'"),
        ("redis://host:abc", "port 'abc'"),
        ("redis://host/x", "database 'x'"),
        ("redis://host/-1", "database '-1'"),
        ("redis://onlyuser@host", "user info has no ':'"),
        ("redis://:p%zz@host", "password has a '%'"),
        ("redis://host?timeout=1", "'?timeout=1' is not supported"),
        ("redis://:pw@/0", "host is empty"),
        ("redis://a:b:c", "more than one ':'"),
        ("redis://[::1", "has no ']'"),
    ])
    func badURLs(_ test: (String, String)) {
        #expect {
            try RedisConfiguration(url: test.0)
        } throws: { error in
            guard let error = error as? RedisError else { return false }
            return error.code == .invalidConfiguration && error.message.contains(test.1)
        }
    }

    @Test("the description hides the password")
    func redacted() throws {
        let configuration = try RedisConfiguration(url: "rediss://bob:topsecret@host:1/2")
        #expect("\(configuration)" == "rediss://bob:***@host:1/2")
        #expect(!"\(configuration)".contains("topsecret"))
    }

    @Test("validation names the bad field")
    func validation() {
        func message(_ change: (inout RedisConfiguration) -> Void) -> String? {
            var configuration = RedisConfiguration()
            change(&configuration)
            do {
                try configuration.validate()
                return nil
            } catch {
                return error.code == .invalidConfiguration ? error.message : nil
            }
        }
        #expect(message { $0.poolSize = 0 }?.contains("poolSize") == true)
        #expect(message { $0.commandTimeout = .zero }?.contains("commandTimeout") == true)
        #expect(message { $0.username = "u" }?.contains("no password") == true)
        #expect(message { $0.maxReplySize = 10 }?.contains("maxReplySize") == true)
        #expect(message { $0.port = 70000 }?.contains("port") == true)
        #expect(message { _ in } == nil)
    }

    @Test("a missing CA file is an invalidConfiguration naming it")
    func missingFile() {
        #expect {
            try RedisClient(configuration: RedisConfiguration(tls: .init(caFile: "no/such/ca.pem")), logger: RedisTestEnvironment.logger)
        } throws: { error in
            guard let error = error as? RedisError else { return false }
            return error.code == .invalidConfiguration && error.message.contains("no/such/ca.pem")
        }
    }
}
