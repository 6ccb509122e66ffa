extension RedisConfiguration {
    /// TLS settings (swift-nio-ssl). The server's certificate is verified by default.
    public struct TLS: Sendable, Equatable {
        /// A PEM file of the certificate authorities to trust; `nil` trusts the system's.
        public var caFile: String?
        /// Whether the server's certificate chain and name are checked. Default `true`;
        /// `false` is logged as a warning when the client is made.
        public var verifyCertificate: Bool
        /// The name checked against the certificate and sent as SNI; `nil` uses the host
        /// when it is a name (an IP address is checked against the certificate's IP
        /// entries and sends no SNI).
        public var serverName: String?
        /// A PEM client certificate chain, for servers that check clients
        /// (`tls-auth-clients yes`, Redis's default). Needs ``privateKeyFile``.
        public var certificateFile: String?
        /// The PEM private key of ``certificateFile``.
        public var privateKeyFile: String?

        /// Creates TLS settings; every argument has its default.
        public init(
            caFile: String? = nil,
            verifyCertificate: Bool = true,
            serverName: String? = nil,
            certificateFile: String? = nil,
            privateKeyFile: String? = nil
        ) {
            self.caFile = caFile
            self.verifyCertificate = verifyCertificate
            self.serverName = serverName
            self.certificateFile = certificateFile
            self.privateKeyFile = privateKeyFile
        }
    }
}
