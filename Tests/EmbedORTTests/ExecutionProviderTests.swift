import EmbedTestSupport
import Foundation
import Testing

@testable import EmbedORT

/// Registering execution providers. No GPU here: the providers this build lacks must fail
/// to register with ONNX Runtime's own message, through the one status check.
@Suite(.enabled(if: TestRuntime.isAvailable, "needs ONNX Runtime: run `make setup` or set ORT_DYLIB_PATH"))
struct ExecutionProviderTests {
    let environment: ORTEnvironment

    init() throws {
        environment = try TestRuntime.environment()
    }

    func load(_ providers: [ORTExecutionProvider]) throws -> ORTSession {
        try ORTSession(
            path: TestPaths.fixture("onnx/tiny_scale.onnx").path,
            options: ORTSessionOptions(executionProviders: providers), environment: environment)
    }

    @Test func cpuNeedsNoRegistration() throws {
        let session = try load([.cpu])
        #expect(try session.run(["x": .int64([2, 2, 2], shape: [1, 3])])[0].floats() == [2, 3, 4])
    }

    @Test(arguments: [ORTExecutionProvider.cuda, .tensorRT, .xnnpack, .openVINO])
    func providersMissingFromThisBuildFailToRegister(provider: ORTExecutionProvider) throws {
        let available = try environment.availableProviders()
        try #require(!available.contains(provider.name), "\(provider) is available in this build; nothing to test")
        do {
            _ = try load([provider])
            Issue.record("expected registering \(provider) to fail")
        } catch let error as ORTError {
            guard case .runtime = error.code else {
                Issue.record("expected a runtime error, got \(error)")
                return
            }
            #expect(error.message.contains(provider.name) || error.message.contains("CreateCUDAProviderOptions")
                    || error.message.contains("CreateTensorRTProviderOptions"), "\(error)")
        }
        // Any other error type fails the test through the thrown error.
    }

    @Test func shortNamesMapToRuntimeNames() {
        #expect(ORTExecutionProvider.byShortName["cuda"]?.name == "CUDAExecutionProvider")
        #expect(ORTExecutionProvider.byShortName["cpu"] == .cpu)
        #expect(ORTExecutionProvider.byShortName.count == 8)
    }
}
