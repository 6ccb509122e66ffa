extension RedisConfiguration {
    /// A configuration from `redis://[[user]:password@]host[:port][/db]`, or `rediss://…`
    /// for TLS (with ``TLS`` defaults: system trust roots, verification on).
    ///
    /// The user and password may be percent-encoded; IPv6 hosts are written in brackets.
    /// Fields a URL cannot hold (pool size, timeouts, …) come from `base`. Errors are
    /// ``RedisError/Code/invalidConfiguration`` and name the part at fault.
    public init(url: String, base: RedisConfiguration = RedisConfiguration()) throws(RedisError) {
        func bad(_ what: String) -> RedisError {
            RedisError(.invalidConfiguration, "Redis URL: \(what)")
        }
        self = base
        guard let schemeEnd = url.firstRange(of: "://") else {
            throw bad("'\(Self.redacted(url))' has no scheme (expected redis:// or rediss://)")
        }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        switch scheme {
        case "redis": tls = nil
        case "rediss": tls = base.tls ?? TLS()
        default: throw bad("scheme '\(scheme)' is not redis or rediss")
        }
        var rest = url[schemeEnd.upperBound...]
        if let mark = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            throw bad("'\(rest[mark...])' is not supported (no query or fragment)")
        }
        let path: Substring
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        } else {
            path = ""
        }
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            guard let colon = userInfo.firstIndex(of: ":") else {
                throw bad("user info has no ':' (write ':password@' or 'user:password@')")
            }
            let user = try Self.percentDecoded(userInfo[..<colon], part: "user")
            username = user.isEmpty ? nil : user
            password = try Self.percentDecoded(userInfo[userInfo.index(after: colon)...], part: "password")
        } else {
            username = nil
            password = nil
        }
        (host, port) = try Self.hostAndPort(rest, bad: bad)
        if path.isEmpty {
            database = 0
        } else {
            guard path.allSatisfy(\.isASCII), let index = Int(path), index >= 0 else {
                throw bad("database '\(path)' is not a non-negative integer")
            }
            database = index
        }
        try validate()
    }

    /// The host and port of `authority` (default port 6379).
    private static func hostAndPort(_ authority: Substring, bad: (String) -> RedisError) throws(RedisError) -> (String, Int) {
        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw bad("IPv6 host '\(authority)' has no ']'") }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw bad("'\(after)' after the IPv6 host is not ':port'") }
                portText = after.dropFirst()
            }
        } else {
            host = authority
            if let colon = authority.firstIndex(of: ":") {
                host = authority[..<colon]
                portText = authority[authority.index(after: colon)...]
                if portText?.contains(":") == true {
                    throw bad("host '\(authority)' has more than one ':' (write IPv6 addresses in brackets)")
                }
            }
        }
        guard !host.isEmpty else { throw bad("the host is empty") }
        var port = 6379
        if let portText {
            guard portText.allSatisfy(\.isASCII), let value = Int(portText), (1...65535).contains(value) else {
                throw bad("port '\(portText)' is not a number in 1…65535")
            }
            port = value
        }
        return (String(host), port)
    }

    /// `text` with `%XX` escapes decoded (as UTF-8).
    private static func percentDecoded(_ text: Substring, part: String) throws(RedisError) -> String {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                throw RedisError(.invalidConfiguration, "Redis URL: the \(part) has a '%' not followed by two hex digits")
            }
            bytes.append(high << 4 | low)
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else {
            throw RedisError(.invalidConfiguration, "Redis URL: the \(part) is not valid UTF-8 once decoded")
        }
        return decoded
    }

    /// The value of one hex digit.
    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// `url` with anything between `://` and `@` hidden (it may hold a password).
    private static func redacted(_ url: String) -> String {
        guard let at = url.lastIndex(of: "@") else { return url }
        return "…@" + url[url.index(after: at)...]
    }
}
