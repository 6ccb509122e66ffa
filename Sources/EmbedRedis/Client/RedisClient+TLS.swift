import Logging
import NIOSSL

extension RedisClient {
    /// The TLS context for `tls`, loading its files now so that a bad one fails the client's
    /// creation with a message naming it.
    static func makeSSLContext(_ tls: RedisConfiguration.TLS, address: String, logger: Logger) throws(RedisError) -> NIOSSLContext {
        func bad(_ what: String, _ error: any Error) -> RedisError {
            RedisError(.invalidConfiguration, "Redis \(address): TLS \(what): \(error)")
        }
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let caFile = tls.caFile {
            do {
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
            } catch {
                throw bad("CA file '\(caFile)' could not be read", error)
            }
        }
        if !tls.verifyCertificate {
            configuration.certificateVerification = .none
            logger.warning("Redis TLS certificate verification is off", metadata: ["redis.address": "\(address)"])
        }
        switch (tls.certificateFile, tls.privateKeyFile) {
        case (let certificateFile?, let keyFile?):
            do {
                configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(certificateFile).map { .certificate($0) }
            } catch {
                throw bad("certificate file '\(certificateFile)' could not be read", error)
            }
            do {
                configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: keyFile, format: .pem))
            } catch {
                throw bad("private key file '\(keyFile)' could not be read", error)
            }
        case (nil, nil):
            break
        default:
            throw RedisError(.invalidConfiguration, "Redis \(address): TLS needs both certificateFile and privateKeyFile, or neither")
        }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw bad("context could not be made", error)
        }
    }
}
