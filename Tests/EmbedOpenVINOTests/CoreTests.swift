import EmbedOpenVINO
import Foundation
import Testing

@Suite(.enabled(if: OVTestRuntime.isAvailable, "needs OpenVINO: run scripts/install-openvino.sh or set OPENVINO_LIB_PATH"))
struct CoreTests {
    @Test func listsTheCPU() throws {
        let core = try OVTestRuntime.core()
        #expect(try core.availableDevices().contains("CPU"))
        #expect(try !core.property(OVPropertyKey.fullDeviceName).isEmpty)
    }

    @Test func reportsOptimizationCapabilities() throws {
        let core = try OVTestRuntime.core()
        let capabilities = try core.optimizationCapabilities()
        #expect(capabilities.contains("FP32"), "capabilities: \(capabilities)")
        #if os(Linux) && arch(x86_64)
        // OpenVINO lists BF16 exactly where the CPU has native bf16 instructions.
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let native = cpuinfo.contains("avx512_bf16") || cpuinfo.contains("amx_bf16")
        #expect(try core.supportsNativeBF16() == native, "capabilities: \(capabilities)")
        #endif
    }

    @Test func anUnknownDevicePropertyIsATypedError() throws {
        let core = try OVTestRuntime.core()
        let error = #expect(throws: OVError.self) { try core.property("NO_SUCH_PROPERTY") }
        #expect(error?.code == .runtime(.generalError))
        #expect(error?.message.contains("NO_SUCH_PROPERTY") == true)
    }

    @Test func setsCorePropertiesWithoutVarargs() throws {
        let core = try OVCore(logger: OVTestRuntime.logger)
        try core.setProperties([OVPropertyKey.inferenceThreads: "1"])
        #expect(try core.property(OVPropertyKey.inferenceThreads) == "1")
        let error = #expect(throws: OVError.self) { try core.setProperties([OVPropertyKey.inferenceThreads: "many"]) }
        #expect(error?.message.contains("INFERENCE_NUM_THREADS=many") == true)
    }
}
